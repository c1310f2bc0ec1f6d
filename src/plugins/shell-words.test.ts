import { expect, test } from "bun:test";
import { splitShellWords } from "./shell-words";

test("extra arguments split on whitespace and honour quotes", () => {
  expect(splitShellWords(`  --a 1   --name "two words" 'it''s' x\\ y "q\\"uote" ''`)).toEqual([
    "--a",
    "1",
    "--name",
    "two words",
    "its",
    "x y",
    'q"uote',
    "",
  ]);
  expect(splitShellWords("")).toEqual([]);
  expect(splitShellWords(`--system-prompt 'say "hi" $HOME'`)).toEqual(["--system-prompt", 'say "hi" $HOME']);
});

test("an unterminated quote is an error, not a guess", () => {
  expect(() => splitShellWords(`--a "open`)).toThrow("unterminated double quote");
  expect(() => splitShellWords(`--a 'open`)).toThrow("unterminated single quote");
});
