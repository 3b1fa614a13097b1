import { openDatabase } from './db';
import { sqliteHistoryStorage } from './history';
import { runHistoryStorageContract } from './history-contract';

runHistoryStorageContract('sqlite', async () => sqliteHistoryStorage(openDatabase(':memory:')));
