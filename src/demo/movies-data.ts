/**
 * The demo "movies" database: directors, movies, actors, cast and reviews. Generated from a
 * seeded PRNG so every run, every dialect and every machine sees the same rows; the demo
 * scenario ("find Ava DuVernay's movies and their reviews") relies on a few fixed facts.
 */

export type LogicalType =
  | { kind: 'integer' }
  | { kind: 'varchar'; length: number }
  | { kind: 'text' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'date' };

export interface ColumnDefinition {
  name: string;
  type: LogicalType;
  nullable: boolean;
  /** SQL literal used as the column default, when it has one. */
  defaultValue?: number;
}

export interface ForeignKeyDefinition<TableName extends string = string> {
  columns: string[];
  references: { table: TableName; columns: string[] };
}

export interface TableDefinition<TableName extends string = string> {
  name: TableName;
  columns: ColumnDefinition[];
  primaryKey: string[];
  foreignKeys: ForeignKeyDefinition<TableName>[];
}

export type MoviesTableName = 'directors' | 'movies' | 'actors' | 'movie_actors' | 'reviews';
export type MoviesDialect = 'mysql' | 'postgres' | 'duckdb' | 'sqlite';

const integer: LogicalType = { kind: 'integer' };
const varchar = (length: number): LogicalType => ({ kind: 'varchar', length });
const decimal = (precision: number, scale: number): LogicalType => ({ kind: 'decimal', precision, scale });
const column = (name: string, type: LogicalType, nullable = true): ColumnDefinition => ({
  name,
  type,
  nullable,
});
const references = (columnName: string, table: MoviesTableName): ForeignKeyDefinition<MoviesTableName> => ({
  columns: [columnName],
  references: { table, columns: ['id'] },
});

/** Tables in dependency order: every table comes after the tables it references. */
export const moviesTables: readonly TableDefinition<MoviesTableName>[] = [
  {
    name: 'directors',
    columns: [
      column('id', integer, false),
      column('name', varchar(120), false),
      column('birth_year', integer),
      column('nationality', varchar(60)),
      { name: 'awards', type: integer, nullable: false, defaultValue: 0 },
    ],
    primaryKey: ['id'],
    foreignKeys: [],
  },
  {
    name: 'movies',
    columns: [
      column('id', integer, false),
      column('title', varchar(200), false),
      column('release_year', integer),
      column('genre', varchar(40)),
      column('director_id', integer),
      column('runtime_minutes', integer),
      column('budget_musd', decimal(8, 2)),
      column('box_office_musd', decimal(10, 2)),
    ],
    primaryKey: ['id'],
    foreignKeys: [references('director_id', 'directors')],
  },
  {
    name: 'actors',
    columns: [
      column('id', integer, false),
      column('name', varchar(120), false),
      column('birth_year', integer),
      column('nationality', varchar(60)),
    ],
    primaryKey: ['id'],
    foreignKeys: [],
  },
  {
    name: 'movie_actors',
    columns: [
      column('movie_id', integer, false),
      column('actor_id', integer, false),
      column('role', varchar(120)),
    ],
    primaryKey: ['movie_id', 'actor_id'],
    foreignKeys: [references('movie_id', 'movies'), references('actor_id', 'actors')],
  },
  {
    name: 'reviews',
    columns: [
      column('id', integer, false),
      column('movie_id', integer, false),
      column('reviewer', varchar(80)),
      column('rating', decimal(3, 1)),
      column('review_date', { kind: 'date' }),
      column('comment', { kind: 'text' }),
    ],
    primaryKey: ['id'],
    foreignKeys: [references('movie_id', 'movies')],
  },
];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: tiny, fast, and identical on every platform (pure 32-bit integer arithmetic). */
function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  };
}

interface Random {
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** Decimal string from an integer count of hundredths/tenths, so no float rounding leaks in. */
function fixed(units: number, scale: number): string {
  const factor = 10 ** scale;
  const whole = Math.floor(units / factor);
  const fraction = String(units % factor).padStart(scale, '0');
  return `${whole}.${fraction}`;
}

function isoDate(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

function epochDayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

// ---------------------------------------------------------------------------------------------
// Source material. Apart from Ava DuVernay, her films and their casts, people and titles are
// invented. A few names carry apostrophes, diacritics and non-Latin letters on purpose, so
// every loader's escaping and UTF-8 handling is exercised by the demo itself.

type Person = readonly [name: string, birthYear: number | null, nationality: string | null];

const AVA_DUVERNAY: Person = ['Ava DuVernay', 1972, 'American'];

const INVENTED_DIRECTORS: readonly Person[] = [
  ['Marguerite Thorne', 1958, 'British'],
  ['Tomasz Wielicki', 1966, 'Polish'],
  ['Helena Varga', 1974, 'Hungarian'],
  ['Rafael Domínguez', 1969, 'Mexican'],
  ['Kenji Morimoto', 1961, 'Japanese'],
  ['Siobhan O’Rourke', 1979, 'Irish'],
  ["Declan O'Malley", 1955, 'Irish'],
  ['Ingrid Solberg', 1971, 'Norwegian'],
  ['Lucien Marchetti', 1949, 'French'],
  ['Priya Raghunathan', 1983, 'Indian'],
  ['Samuel Okafor', 1976, 'Nigerian'],
  ['Clara Hoffmann', 1968, 'German'],
  ['Mateo Alvarado', 1981, 'Argentine'],
  ['Yuna Cho', 1985, 'South Korean'],
  ['Björn Lindqvist', 1963, 'Swedish'],
  ['Amara Nwosu', 1988, 'Nigerian'],
  ['Gideon Price', 1952, 'American'],
  ['Rosalind Achebe-Ward', 1977, 'British'],
  ['Paolo Benedetti', 1960, 'Italian'],
  ['Naomi Fairbanks', 1973, 'American'],
  ['Arjun Mehta', 1970, 'Indian'],
  ['Élodie Fournier', 1984, 'French'],
  ['Viktor Petrenko', 1959, 'Ukrainian'],
  ['Lena Kowalczyk', 1987, 'Polish'],
  ['Tobias Reinholt', 1965, 'Danish'],
  ['Carmen Villanueva', 1972, 'Spanish'],
  ['Hiroshi Tanabe', 1947, 'Japanese'],
  ['Wanjiru Kamau', 1982, 'Kenyan'],
  ['Dmitri Volkov', null, 'Russian'],
  ['Grace Whitfield', 1980, 'Australian'],
  ['Felipe Castaño', 1975, 'Colombian'],
  ['Astrid Nyberg', 1967, 'Finnish'],
  ['Jonah Abernathy', 1962, 'Canadian'],
  ['Mei-Ling Zhou', 1978, 'Chinese'],
  ['Oskar Brandt', 1954, null],
  ['Fatima Haddad', 1986, 'Lebanese'],
  ['Callum Reid', 1990, 'Scottish'],
  ['Zoë Castellanos', 1989, 'American'],
  ['Ruth Adeyemi', 1964, 'British'],
];

const DIRECTOR_AWARDS_SEED = 0x5eed_d1;
const MOVIES_SEED = 0x5eed_0f;
const ACTORS_SEED = 0x5eed_ac;
const CAST_SEED = 0x5eed_ca;
const REVIEWS_SEED = 0x5eed_4e;

interface FixedMovie {
  title: string;
  year: number;
  genre: string;
  runtime: number;
  /** USD millions in hundredths: 20_00 is 20.00. */
  budgetHundredths: number;
  boxOfficeHundredths: number | null;
  cast: readonly (readonly [actor: string, role: string])[];
}

/** Ava DuVernay's films with their real years and genres (money figures are approximations). */
const AVA_DUVERNAY_MOVIES: readonly FixedMovie[] = [
  {
    title: 'Middle of Nowhere',
    year: 2012,
    genre: 'Drama',
    runtime: 97,
    budgetHundredths: 20,
    boxOfficeHundredths: 24,
    cast: [['Emayatzy Corinealdi', 'Ruby']],
  },
  {
    title: 'Selma',
    year: 2014,
    genre: 'Drama',
    runtime: 128,
    budgetHundredths: 20_00,
    boxOfficeHundredths: 66_80,
    cast: [
      ['David Oyelowo', 'Martin Luther King Jr.'],
      ['Carmen Ejogo', 'Coretta Scott King'],
      ['Tom Wilkinson', 'Lyndon B. Johnson'],
      ['Oprah Winfrey', 'Annie Lee Cooper'],
    ],
  },
  {
    title: '13th',
    year: 2016,
    genre: 'Documentary',
    runtime: 100,
    budgetHundredths: 1_00,
    boxOfficeHundredths: null,
    cast: [],
  },
  {
    title: 'A Wrinkle in Time',
    year: 2018,
    genre: 'Fantasy',
    runtime: 109,
    budgetHundredths: 103_00,
    boxOfficeHundredths: 132_70,
    cast: [
      ['Storm Reid', 'Meg Murry'],
      ['Oprah Winfrey', 'Mrs. Which'],
      ['Reese Witherspoon', 'Mrs. Whatsit'],
      ['Mindy Kaling', 'Mrs. Who'],
      ['Chris Pine', 'Dr. Alex Murry'],
    ],
  },
];

const REAL_ACTORS: readonly Person[] = [
  ['Emayatzy Corinealdi', 1980, 'American'],
  ['David Oyelowo', 1976, 'British'],
  ['Carmen Ejogo', 1973, 'British'],
  ['Tom Wilkinson', 1948, 'British'],
  ['Oprah Winfrey', 1954, 'American'],
  ['Storm Reid', 2003, 'American'],
  ['Reese Witherspoon', 1976, 'American'],
  ['Mindy Kaling', 1979, 'American'],
  ['Chris Pine', 1980, 'American'],
];

// biome-ignore format: word lists read better packed
const FIRST_NAMES = [
  'Adrian', 'Beatrice', 'Cyrus', 'Daphne', 'Emeka', 'Freya', 'Gustavo', 'Hana', 'Isaac', 'Jolene', 'Kwame',
  'Lucía', 'Marcus', 'Nadia', 'Orson', 'Penelope', 'Quentin', 'Rosa', 'Sebastian', 'Talia', 'Ulrich',
  'Valentina', 'Wesley', 'Ximena', 'Yusuf', 'Zara', 'Anouk', 'Bastian', 'Colette', 'Dario', 'Esme',
  'Felix', 'Greta', 'Hugo', 'Imani', 'Jasper', 'Keiko', 'Leopold', 'Mirela', 'Niamh',
] as const;

// biome-ignore format: word lists read better packed
const LAST_NAMES = [
  'Ashford', 'Bellamy', 'Castillo', 'Delacroix', 'Eriksen', 'Fontaine', 'Gallagher', 'Haruki', 'Ibsen',
  'Jovanović', 'Kingsley', 'Laurent', 'Mbeki', 'Novak', "O'Hara", 'Pellegrini', 'Quinlan', 'Rossi',
  'Sandoval', 'Takahashi', 'Umarov', 'Vance', 'Whitlock', 'Yilmaz', 'Zielinski', 'Åberg', 'Müller',
  'Nakamura', 'Okonkwo', 'Moreau',
] as const;

// biome-ignore format: word lists read better packed
const NATIONALITIES = [
  'American', 'British', 'French', 'Canadian', 'Australian', 'German', 'Spanish', 'Italian', 'Nigerian',
  'Japanese', 'Brazilian', 'Irish', 'Mexican', 'Swedish', 'South African',
] as const;

// biome-ignore format: word lists read better packed
const TITLE_OPENERS = [
  'The Last', 'The Silent', 'A Quiet', 'The Long', 'The Hidden', 'The Broken', 'The Crimson', 'The Iron',
  'Beyond the', 'Under the', 'The Glass', 'The Forgotten', 'The Burning', 'The Distant', 'The Midnight',
  'The Winter', 'The Golden', 'The Hollow', 'The Seventh', 'The Painted',
] as const;

// biome-ignore format: word lists read better packed
const TITLE_NOUNS = [
  'Harbor', 'Orchard', 'Frontier', 'Lantern', 'Meridian', 'Tide', 'Cathedral', 'Signal', 'Garden',
  'Horizon', 'Archive', 'Railway', 'Mirror', 'Compass', 'Summer', 'Kingdom', 'Lighthouse', 'River',
  'Cartographer', 'Orbit', "Keeper's Daughter", 'Sparrow', 'Avalanche', 'Carousel',
] as const;

/** Genre → [min runtime, max runtime, min budget, max budget] (budget in USD millions). */
const GENRES: Readonly<Record<string, readonly [number, number, number, number]>> = {
  Drama: [95, 150, 5, 40],
  Comedy: [85, 115, 8, 50],
  Thriller: [95, 130, 15, 70],
  Action: [105, 160, 60, 250],
  'Science Fiction': [100, 165, 40, 220],
  Horror: [80, 110, 2, 25],
  Romance: [90, 125, 6, 35],
  Documentary: [75, 115, 0, 5],
  Animation: [80, 105, 50, 200],
  Crime: [100, 160, 12, 80],
  Adventure: [100, 150, 50, 200],
  Fantasy: [100, 155, 40, 230],
};
const GENRE_NAMES = Object.keys(GENRES);

// biome-ignore format: word lists read better packed
const ROLE_TITLES = [
  'Detective', 'Captain', 'Dr.', 'Professor', 'Sister', 'Agent', 'Mayor', 'Old', 'Young', 'Officer',
] as const;

// biome-ignore format: word lists read better packed
const REVIEWERS = [
  'cinephile_ana', 'reelthoughts', 'popcorn.jones', 'MarcusWatches', 'film_noir_fan', 'the_projectionist',
  'LateShowLiz', 'criterion_kid', 'SundanceSam', 'midnight_matinee', 'FrameByFrame', 'olivia.reviews',
  'kinoKarl', 'ReelRachel', 'director_s_cut', 'silverscreen_sue', 'B-movie Bob', 'Zoë at the movies',
  'cine_paulo', 'arthouse_anya', 'TheBalconySeat', 'two_thumbs_tom', 'Hélène Critique',
  'dev_watches_films',
] as const;

const PRAISE = [
  'A triumph from start to finish.',
  'Beautifully shot and patiently told.',
  "One of the year's best; the final act is unforgettable.",
  'The performances carry it, and the score lingers.',
  "Didn't expect to be this moved. \\o/",
  'Smart, humane and quietly furious.',
] as const;

const MIXED = [
  'Good ideas, uneven pacing.',
  'Worth seeing once, mostly for the lead.',
  'The middle hour drags, but the ending lands.',
  'Handsome but a little hollow.',
  'Fine for a Sunday afternoon 🍿',
] as const;

const PANS = [
  'Overlong and underwritten.',
  "I wanted to like it; I couldn't.",
  'All style, no story.',
  'The trailer was better than the film.',
] as const;

// ---------------------------------------------------------------------------------------------
// Generators. Each table has its own seed, so changing one table never reshuffles another.

interface MoviesDataset {
  directors: unknown[][];
  movies: unknown[][];
  actors: unknown[][];
  movie_actors: unknown[][];
  reviews: unknown[][];
}

const MOVIE_COUNT = 150;
const ACTOR_COUNT = 80;
const AVA_DUVERNAY_ID = 1;

function generateDirectors(): unknown[][] {
  const random = createRandom(DIRECTOR_AWARDS_SEED);
  const rows: unknown[][] = [[AVA_DUVERNAY_ID, AVA_DUVERNAY[0], AVA_DUVERNAY[1], AVA_DUVERNAY[2], 8]];
  INVENTED_DIRECTORS.forEach(([name, birthYear, nationality], index) => {
    const awards = random.chance(0.3) ? 0 : random.int(1, 14);
    rows.push([index + 2, name, birthYear, nationality, awards]);
  });
  return rows;
}

interface MovieFacts {
  id: number;
  year: number;
  quality: number;
  cast: readonly (readonly [string, string])[];
}

function generateMovies(): { rows: unknown[][]; facts: MovieFacts[] } {
  const random = createRandom(MOVIES_SEED);
  const rows: unknown[][] = [];
  const facts: MovieFacts[] = [];
  for (const movie of AVA_DUVERNAY_MOVIES) {
    const id = rows.length + 1;
    rows.push([
      id,
      movie.title,
      movie.year,
      movie.genre,
      AVA_DUVERNAY_ID,
      movie.runtime,
      fixed(movie.budgetHundredths, 2),
      movie.boxOfficeHundredths === null ? null : fixed(movie.boxOfficeHundredths, 2),
    ]);
    facts.push({ id, year: movie.year, quality: 0.85, cast: movie.cast });
  }
  const usedTitles = new Set(rows.map((row) => row[1]));
  const directorCount = INVENTED_DIRECTORS.length;
  while (rows.length < MOVIE_COUNT) {
    let title = `${random.pick(TITLE_OPENERS)} ${random.pick(TITLE_NOUNS)}`;
    if (usedTitles.has(title)) title = `${title} ${random.pick(['II', 'Returns', 'Redux', '(Part Two)'])}`;
    if (usedTitles.has(title)) continue;
    usedTitles.add(title);
    const genre = random.pick(GENRE_NAMES);
    const [minRuntime, maxRuntime, minBudget, maxBudget] = GENRES[genre]!;
    const budgetHundredths = random.int(minBudget * 100 + 50, maxBudget * 100);
    const quality = random.next();
    // Streaming premieres have no box office; the rest earn 0.2×–6× their budget, better films more.
    const boxOfficeHundredths = random.chance(0.08)
      ? null
      : Math.round(budgetHundredths * (0.2 + quality * 4 + random.next() * 1.8));
    const id = rows.length + 1;
    const year = random.int(1975, 2024);
    rows.push([
      id,
      title,
      year,
      genre,
      random.int(2, directorCount + 1),
      random.chance(0.03) ? null : random.int(minRuntime, maxRuntime),
      fixed(budgetHundredths, 2),
      boxOfficeHundredths === null ? null : fixed(boxOfficeHundredths, 2),
    ]);
    facts.push({ id, year, quality, cast: [] });
  }
  return { rows, facts };
}

function generateActors(): unknown[][] {
  const random = createRandom(ACTORS_SEED);
  const rows: unknown[][] = REAL_ACTORS.map(([name, birthYear, nationality], index) => [
    index + 1,
    name,
    birthYear,
    nationality,
  ]);
  const usedNames = new Set(rows.map((row) => row[1]));
  while (rows.length < ACTOR_COUNT) {
    const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    const birthYear = random.chance(0.05) ? null : random.int(1940, 2004);
    const nationality = random.chance(0.05) ? null : random.pick(NATIONALITIES);
    rows.push([rows.length + 1, name, birthYear, nationality]);
  }
  return rows;
}

function generateCast(movies: readonly MovieFacts[], actors: readonly unknown[][]): unknown[][] {
  const random = createRandom(CAST_SEED);
  const actorIdByName = new Map(actors.map((row) => [row[1] as string, row[0] as number]));
  const rows: unknown[][] = [];
  for (const movie of movies) {
    if (movie.cast.length > 0) {
      const cast = movie.cast.map(([actor, role]) => [movie.id, actorIdByName.get(actor)!, role] as const);
      rows.push(...cast.sort((left, right) => left[1] - right[1]).map((row) => [...row]));
      continue;
    }
    if (movie.id <= AVA_DUVERNAY_MOVIES.length) continue; // a documentary: no cast
    const castSize = random.int(1, 3);
    const chosen = new Set<number>();
    while (chosen.size < castSize) chosen.add(random.int(REAL_ACTORS.length + 1, ACTOR_COUNT));
    for (const actorId of [...chosen].sort((left, right) => left - right)) {
      const role = random.chance(0.04)
        ? null
        : `${random.pick(ROLE_TITLES)} ${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      rows.push([movie.id, actorId, role]);
    }
  }
  return rows;
}

const LAST_REVIEW_DAY = epochDayOf(2025, 6, 30);

function generateReviews(movies: readonly MovieFacts[]): unknown[][] {
  const random = createRandom(REVIEWS_SEED);
  const rows: unknown[][] = [];
  for (const movie of movies) {
    const reviewCount = random.int(1, 7);
    for (let index = 0; index < reviewCount; index += 1) {
      // Ratings cluster around the movie's quality, clamped to 1.0–10.0 in tenths.
      const centre = 20 + movie.quality * 70;
      const tenths = Math.min(100, Math.max(10, Math.round(centre + (random.next() - 0.5) * 40)));
      const firstDay = epochDayOf(movie.year, 1, 1);
      const reviewDay = firstDay + Math.floor(random.next() * (LAST_REVIEW_DAY - firstDay));
      const pool = tenths >= 75 ? PRAISE : tenths >= 50 ? MIXED : PANS;
      const comment = random.chance(0.1) ? null : random.pick(pool);
      rows.push([
        rows.length + 1,
        movie.id,
        random.pick(REVIEWERS),
        fixed(tenths, 1),
        isoDate(reviewDay),
        comment,
      ]);
    }
  }
  return rows;
}

function generateDataset(): MoviesDataset {
  const movies = generateMovies();
  const actors = generateActors();
  return {
    directors: generateDirectors(),
    movies: movies.rows,
    actors,
    movie_actors: generateCast(movies.facts, actors),
    reviews: generateReviews(movies.facts),
  };
}

let cachedDataset: MoviesDataset | undefined;

/**
 * Rows of one table, in primary-key order, with values as plain JS: integers as numbers,
 * decimals as strings ('12.50'), dates as 'YYYY-MM-DD', missing values as null.
 * Returns fresh arrays, so callers may mutate them.
 */
export function moviesRows(table: MoviesTableName): unknown[][] {
  cachedDataset ??= generateDataset();
  return cachedDataset[table].map((row) => [...row]);
}

// ---------------------------------------------------------------------------------------------
// SQL

const INSERT_BATCH_ROWS = 100;

function quoteIdentifier(dialect: MoviesDialect, identifier: string): string {
  return dialect === 'mysql'
    ? `\`${identifier.replaceAll('`', '``')}\``
    : `"${identifier.replaceAll('"', '""')}"`;
}

/** A string literal; MySQL also treats backslash as an escape character by default. */
function quoteString(dialect: MoviesDialect, value: string): string {
  const escaped = dialect === 'mysql' ? value.replaceAll('\\', '\\\\') : value;
  return `'${escaped.replaceAll("'", "''")}'`;
}

function sqlType(type: LogicalType): string {
  switch (type.kind) {
    case 'integer':
      return 'INTEGER';
    case 'varchar':
      return `VARCHAR(${type.length})`;
    case 'text':
      return 'TEXT';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'date':
      return 'DATE';
  }
}

function literal(dialect: MoviesDialect, value: unknown, type: LogicalType): string {
  if (value === null || value === undefined) return 'NULL';
  if (type.kind === 'integer' || type.kind === 'decimal') return String(value);
  return quoteString(dialect, String(value));
}

function createTableSql(dialect: MoviesDialect, table: TableDefinition<MoviesTableName>): string {
  const quote = (identifier: string) => quoteIdentifier(dialect, identifier);
  const lines = table.columns.map((definition) => {
    const notNull = definition.nullable ? '' : ' NOT NULL';
    const defaultValue = definition.defaultValue === undefined ? '' : ` DEFAULT ${definition.defaultValue}`;
    return `  ${quote(definition.name)} ${sqlType(definition.type)}${notNull}${defaultValue}`;
  });
  lines.push(`  PRIMARY KEY (${table.primaryKey.map(quote).join(', ')})`);
  for (const foreignKey of table.foreignKeys) {
    lines.push(
      `  FOREIGN KEY (${foreignKey.columns.map(quote).join(', ')}) REFERENCES ` +
        `${quote(foreignKey.references.table)} (${foreignKey.references.columns.map(quote).join(', ')})`,
    );
  }
  // Without an explicit charset a bare MariaDB (--no-defaults) stores latin1 and loses emoji.
  const suffix =
    dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
  return `CREATE TABLE ${quote(table.name)} (\n${lines.join(',\n')}\n)${suffix}`;
}

function insertSql(dialect: MoviesDialect, table: TableDefinition<MoviesTableName>): string[] {
  const rows = moviesRows(table.name);
  const columnList = table.columns.map((definition) => quoteIdentifier(dialect, definition.name)).join(', ');
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const values = rows.slice(start, start + INSERT_BATCH_ROWS).map((row) => {
      const literals = table.columns.map((definition, index) =>
        literal(dialect, row[index], definition.type),
      );
      return `(${literals.join(', ')})`;
    });
    statements.push(
      `INSERT INTO ${quoteIdentifier(dialect, table.name)} (${columnList}) VALUES\n${values.join(',\n')}`,
    );
  }
  return statements;
}

export interface MoviesSqlOptions {
  /** Start with `DROP TABLE IF EXISTS` for every table (in reverse dependency order). */
  dropExisting?: boolean;
}

/**
 * The whole dataset as SQL statements (no trailing semicolons) for one dialect: DDL with
 * primary and foreign keys, then multi-row INSERTs, in dependency order.
 */
export function moviesSql(dialect: MoviesDialect, options: MoviesSqlOptions = {}): string[] {
  const statements: string[] = [];
  if (options.dropExisting) {
    for (const table of [...moviesTables].reverse()) {
      statements.push(`DROP TABLE IF EXISTS ${quoteIdentifier(dialect, table.name)}`);
    }
  }
  for (const table of moviesTables) statements.push(createTableSql(dialect, table));
  for (const table of moviesTables) statements.push(...insertSql(dialect, table));
  return statements;
}
