export { clientIp, proxyMatcher } from "./client-ip";
export { errorResponse } from "./errors";
export { originAllowed } from "./origins";
export { RateLimiter } from "./rate-limit";
