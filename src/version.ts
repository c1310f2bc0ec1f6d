declare const OPENDRAY_VERSION: string | undefined;
declare const OPENDRAY_COMMIT: string | undefined;
declare const OPENDRAY_BUILD_TIME: string | undefined;

export const version = typeof OPENDRAY_VERSION === "string" ? OPENDRAY_VERSION : "0.1.0-dev";
export const commit = typeof OPENDRAY_COMMIT === "string" ? OPENDRAY_COMMIT : "unknown";
export const buildTime = typeof OPENDRAY_BUILD_TIME === "string" ? OPENDRAY_BUILD_TIME : "unknown";
