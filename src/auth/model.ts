import * as v from "valibot";
import { text } from "../shared/schema";

export const LoginBody = v.strictObject({
  username: v.pipe(text("username must be a string"), v.minLength(1, "username is required"), v.maxLength(200)),
  password: v.pipe(text("password must be a string"), v.minLength(1, "password is required"), v.maxLength(1000)),
});

export const OneTimeBody = v.strictObject({
  code: v.pipe(text("code must be a string"), v.minLength(8, "the whole code from the sign-in link"), v.maxLength(200)),
});

export const ChangeCredentialsBody = v.strictObject({
  currentPassword: v.optional(v.pipe(text(), v.maxLength(1000))),
  newUsername: v.optional(v.pipe(text(), v.minLength(1, "not empty"), v.maxLength(200))),
  newPassword: v.pipe(text("newPassword must be a string"), v.minLength(8, "at least 8 characters"), v.maxLength(1000)),
});
