// Service templates are imported as text and embedded in the compiled binary.
declare module "*.service" {
  const text: string;
  export default text;
}
declare module "*.plist" {
  const text: string;
  export default text;
}
