import * as v from "valibot";

export const LoginBody = v.strictObject({
  username: v.pipe(v.string("username must be a string"), v.minLength(1, "username is required"), v.maxLength(200)),
  password: v.pipe(v.string("password must be a string"), v.minLength(1, "password is required"), v.maxLength(1000)),
});

export const OneTimeBody = v.strictObject({
  code: v.pipe(v.string("code must be a string"), v.minLength(8, "a one-time code"), v.maxLength(200)),
});

export const ChangeCredentialsBody = v.strictObject({
  currentPassword: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  newUsername: v.optional(v.pipe(v.string(), v.minLength(1, "not empty"), v.maxLength(200))),
  newPassword: v.pipe(
    v.string("newPassword must be a string"),
    v.minLength(8, "at least 8 characters"),
    v.maxLength(1000),
  ),
});
