import { request } from "node:https";
import type webpush from "web-push";

type RequestDetails = ReturnType<typeof webpush.generateRequestDetails> & {
  agent?: import("node:https").Agent;
  timeout?: number;
};

/**
 * Sends one encrypted push request and answers the push service's status code. web-push's own sender
 * reports a refusal through an error class whose constructor Bun can reject, losing the status (a 410
 * must remove the subscription), so the request is sent here.
 */
export function deliver(details: RequestDetails): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      details.endpoint,
      { method: details.method, headers: details.headers, agent: details.agent, timeout: details.timeout ?? 15_000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("the push service did not answer in time")));
    if (details.body) req.write(details.body);
    req.end();
  });
}
