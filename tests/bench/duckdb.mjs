// duckdb.mjs: the benchmark's work items in DuckDB, through its Node
// bindings (node tests/bench/duckdb.mjs FILE [RUNS]), two threads. Same
// output as reel.lua, plus the load.
import { DuckDBInstance } from '@duckdb/node-api';

const [path, runsText] = process.argv.slice(2);
const runs = Number(runsText || 5);
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await instance.connect();

async function time(sql) {
	const start = process.hrtime.bigint();
	await db.runAndReadAll(sql);
	return Number(process.hrtime.bigint() - start) / 1e9;
}

async function report(name, sql) {
	const times = [];
	for (let i = 0; i < runs; i++)
		times.push(await time(sql));
	times.sort((a, b) => a - b);
	console.log(`${name} ${times[(runs - 1) >> 1].toFixed(6)}`);
}

const load = await time(`create table films as select * from
	read_csv('${path}', header = true)`);
console.log(`load ${load.toFixed(6)}`);
if (runs === 0) {
	const n = await db.runAndReadAll('select count(*) from films where duration < 110');
	console.log(`count ${n.getRows()[0][0]}`);
	process.exit(0);
}
await report('count', 'select count(*) from films where duration < 110');
await report('where_sort_limit', `select * from films where duration < 110
	order by year desc, title limit 3`);
await report('random', `select * from films where duration < 110
	using sample 1 rows`);
await report('group', `select year, count(*), avg(duration) from films
	group by year order by year`);
await report('search', `select count(*) from films where title ilike '%prison%'
	or description ilike '%prison%'`);
const rows = await db.runAndReadAll('select count(*) from films');
console.log(`rows ${rows.getRows()[0][0]}`);
