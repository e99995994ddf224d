// `npm start` entry: starts the local preview and prints where it is and how to connect.
//   PORT=9000 npm start            another port (default 8787; 0 = any free port)
//   CLOSE_API_KEY=api_… npm start  the real Close API instead of the local fake
//   CLOSE_LATENCY_MS=300 npm start adds latency to every Close request (to watch progress)
//   STEP_MS=3000 npm start         pulls and pushes run in 3-second steps (to watch them continue)
//   ONE_OFF_TRIGGERS=refuse npm start  Apps Script refuses the one-off trigger a minute ahead (the
//                                  harsher reading of undocumented behaviour): only the sidebar continues
import { startPreview } from './server';

async function main(): Promise<void> {
  const realClose = !!process.env.CLOSE_API_KEY;
  const preview = await startPreview({
    port: process.env.PORT === undefined ? 8787 : Number(process.env.PORT),
    realClose,
    closeLatencyMs: Number(process.env.CLOSE_LATENCY_MS ?? 0) || 0,
    stepBudgetMs: Number(process.env.STEP_MS ?? 0) || undefined,
    oneOffTriggers: process.env.ONE_OFF_TRIGGERS === 'refuse' ? 'refuse' : 'allow',
  });
  const lines = [
    '',
    `  Close Sync preview:  ${preview.url}`,
    preview.closeUrl
      ? `  Fake Close API:      ${preview.closeUrl}`
      : '  Close API:           https://api.close.com (real; CLOSE_API_KEY is set)',
    preview.sampleApiKey
      ? `  Sample API key:      ${preview.sampleApiKey}`
      : '  Connect in the sidebar with your CLOSE_API_KEY.',
    `  Workbook saved in:   .preview/${realClose ? 'workbook-real-close.json' : 'workbook.json'} (delete it to start over)`,
    '',
  ];
  console.log(lines.join('\n'));
  const stop = () => {
    void preview.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const code = (e as { code?: string }).code;
  if (code === 'EADDRINUSE')
    console.error(
      `${(e as Error).message}\nThat port is taken: choose another, e.g. PORT=8790 npm start (PORT=0: any free port).`,
    );
  else console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
