import { openDatabase } from './db';
import { sqliteHistoryStorage } from './history';
import { runHistorySeriesContract } from './history-series-contract';

runHistorySeriesContract('sqlite', async () => sqliteHistoryStorage(openDatabase(':memory:')));
