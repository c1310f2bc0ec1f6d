export { MAX_BODY_BYTES, parseBody, readBody } from "./body";
export { clientIp, proxyMatcher } from "./client-ip";
export { errorResponse } from "./errors";
export { originAllowed } from "./origins";
export { pathDecodes } from "./path";
export { RateLimiter } from "./rate-limit";
