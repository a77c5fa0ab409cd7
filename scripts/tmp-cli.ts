import { main } from '../src/cli/main.ts';
process.exit(await main(process.argv));
