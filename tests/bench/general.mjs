// general.mjs: the benchmark's general section in DuckDB through its Node
// bindings, two threads (node general.mjs FILMS DIR RUNS), or one load as a
// whole process (node general.mjs load FILE FORMAT). Same output as
// general.lua.
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await instance.connect();
const args = process.argv.slice(2);

if (args[0] === 'load') {
	const reader = args[2] === 'csv' ? 'read_csv' : 'read_json_auto';
	const n = await db.runAndReadAll(`select count(*) from ${reader}('${args[1]}')`);
	console.log(n.getRows()[0][0]);
	process.exit(0);
}
const [films, dir, runsText] = args;
const runs = Number(runsText || 5);
await db.run(`create table films as select * from read_csv('${films}', header = true)`);
await db.run(`create table ratings as select * from read_csv('${dir}/ratings.csv', header = true)`);
await db.run(`create table watched as select * from read_csv('${dir}/watched.csv', header = true)`);

async function report(name, sql) {
	const times = [];
	let answer;
	for (let i = 0; i < runs; i++) {
		const start = process.hrtime.bigint();
		const result = await db.runAndReadAll(sql);
		times.push(Number(process.hrtime.bigint() - start) / 1e9);
		const rows = result.getRows();
		answer = rows.length > 0 ? rows[0][0] : 'none';
	}
	times.sort((a, b) => a - b);
	console.log(`${name} ${times[(runs - 1) >> 1].toFixed(6)} ${answer}`);
}

const ids = Array.from({ length: 10000 }, (_, i) => ((i + 1) * 97) % 1000000 + 1);
const watchedOn = 'f.title = w.title and f.year = w.year';
await report('sort_text', 'select id from films order by title, id limit 1 offset 499999');
await report('sort_three_keys', `select id from films
	order by year, duration desc, title, id limit 1 offset 499999`);
await report('aggregate_text', `select count(*) from (select title, count(*),
	avg(duration) from films group by title order by title)`);
await report('aggregate_text_having', `select count(*) from (select title,
	avg(duration) a from films group by title) where a >= 150`);
await report('aggregate_two_ints', `select count(*) from (select year, duration,
	count(*), max(id) from films group by year, duration order by year, duration)`);
await report('join_then_filter', `select count(*) from films f join ratings r
	on f.id = r.film_id where r.rating >= 9`);
await report('join_text_int', `select count(*) from films f join watched w on ${watchedOn}`);
await report('semi_join', `select count(*) from films f
	where exists (select 1 from watched w where ${watchedOn})`);
await report('anti_join', `select count(*) from films f
	where not exists (select 1 from watched w where ${watchedOn})`);
await report('in_5', 'select count(*) from films where year in (1950, 1960, 1970, 1980, 1990)');
await report('in_10000', `select count(*) from films where id in (${ids.join(',')})`);
await report('contains', `select count(*) from films where title ilike '%river%'`);
await report('count_distinct', 'select count(distinct title) from films');
await report('median', `select sum(m) from (select median(duration) m from films group by year)`);
await report('export_csv', `copy films to '${dir}/out_duck.csv' (header)`);
await report('export_jsonl', `copy films to '${dir}/out_duck.jsonl' (format json)`);
