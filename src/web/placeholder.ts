export const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenDray</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem;line-height:1.5}
code{background:#8882;padding:.1em .35em;border-radius:4px}</style></head>
<body><h1>OpenDray</h1><p>The server is running, but the web app has not been built.</p>
<p>Run <code>bun run build:ui</code> (or <code>bun run scripts/build-ui.ts</code>) and reload this page.</p></body></html>
`;

export const buildingPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenDray</title><script>setTimeout(() => location.reload(), 2000)</script><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem;line-height:1.5}</style></head>
<body><h1>OpenDray</h1><p>The web app is being built for this first start (about ten seconds). This page reloads by itself.</p>
<!-- location.reload, not a meta refresh: a refresh to a URL with a #fragment (the one-time link) is a no-op. --></body></html>
`;
