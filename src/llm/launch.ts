import type { LaunchRequest, ResolveLaunch } from "../plugins/launch";
import type { LlmService } from "./service";

/**
 * Wraps the plugin launch resolver: a session with a stored route gets a fresh gateway token and
 * the gateway's URL, which the agent's manifest `llm` block turns into env and args.
 */
export function routedResolver(
  inner: ResolveLaunch,
  llm: LlmService,
  serverUrl: () => string,
  /** Where per-session homes go (OPENDRAY_HOME/llm-homes). */
  homesDir: string,
): ResolveLaunch {
  return async (req: LaunchRequest) => {
    const route = await llm.store.route(req.sessionId);
    if (!route) return inner(req);
    await llm.checkStart(route);
    const token = await llm.tokens.mint(req.sessionId);
    const gateway = `${serverUrl()}/llm/s/${req.sessionId}`;
    const homeDir = `${homesDir}/${req.sessionId}`;
    return inner({ ...req, llm: { gateway, token, model: req.model ?? "", homeDir } });
  };
}
