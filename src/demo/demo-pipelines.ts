/** The demo's files, as text: what `osiris demo` writes into a fresh folder. */

export const demoConnectionsYaml = `# Connections of the Osiris demo project. Pipelines refer to them as @family.alias.
version: 1
connections:
  duckdb:
    movies:
      default: true
      # The bundled movies database: an embedded DuckDB file, no server needed.
      path: data/movies.duckdb
`;

export const movieRatingsPipeline = `oml_version: "0.1.0"
name: movie-ratings
description: Every movie with its director and average review rating, written to CSV and Parquet.
steps:
  - id: extract-movies
    component: duckdb.extractor
    mode: read
    config:
      connection: "@duckdb.movies"
      query: |
        SELECT m.id, m.title, m.release_year, m.genre, d.name AS director, m.runtime_minutes
        FROM movies m JOIN directors d ON d.id = m.director_id
  - id: extract-reviews
    component: duckdb.extractor
    mode: read
    config:
      connection: "@duckdb.movies"
      table: reviews
  - id: rate-movies
    component: duckdb.processor
    mode: transform
    needs: [extract-movies, extract-reviews]
    config:
      query: |
        SELECT m.id, m.title, m.release_year, m.genre, m.director,
               round(avg(r.rating), 2) AS avg_rating,
               count(r.id) AS review_count
        FROM df_extract_movies m
        LEFT JOIN df_extract_reviews r ON r.movie_id = m.id
        GROUP BY m.id, m.title, m.release_year, m.genre, m.director
        ORDER BY avg_rating DESC NULLS LAST, m.id
  - id: write-csv
    component: filesystem.csv_writer
    mode: write
    needs: [rate-movies]
    config:
      path: output/movie_ratings.csv
  - id: write-parquet
    component: filesystem.parquet_writer
    mode: write
    needs: [rate-movies]
    config:
      path: output/movie_ratings.parquet
      compression: zstd
`;

export const directorStatsPipeline = `oml_version: "0.1.0"
name: director-stats
description: Per-director statistics (films, average rating, total box office), written as JSON Lines.
steps:
  - id: extract-directors
    component: duckdb.extractor
    mode: read
    config:
      connection: "@duckdb.movies"
      table: directors
  - id: extract-movies
    component: duckdb.extractor
    mode: read
    config:
      connection: "@duckdb.movies"
      table: movies
  - id: extract-reviews
    component: duckdb.extractor
    mode: read
    config:
      connection: "@duckdb.movies"
      table: reviews
  - id: director-stats
    component: duckdb.processor
    mode: transform
    needs: [extract-directors, extract-movies, extract-reviews]
    config:
      query: |
        WITH ratings AS (
          SELECT movie_id, avg(rating) AS avg_rating FROM df_extract_reviews GROUP BY movie_id
        )
        SELECT d.id, d.name, d.nationality, d.birth_year, d.awards,
               count(m.id) AS films,
               min(m.release_year) AS first_film,
               max(m.release_year) AS latest_film,
               round(avg(r.avg_rating), 2) AS avg_rating,
               sum(m.box_office_musd) AS box_office_musd
        FROM df_extract_directors d
        LEFT JOIN df_extract_movies m ON m.director_id = d.id
        LEFT JOIN ratings r ON r.movie_id = m.id
        GROUP BY ALL
        ORDER BY films DESC, d.name
  - id: write-json
    component: filesystem.json_writer
    mode: write
    needs: [director-stats]
    config:
      path: output/director_stats.jsonl
      format: jsonl
`;

export const demoGitignore = `.osiris/
build/
output/
.env
`;

export const demoReadme = `# Osiris demo project

A bundled movies database (data/movies.duckdb: directors, movies, actors, movie_actors, reviews)
and two pipelines. Try:

    osiris validate pipelines/movie-ratings.yaml
    osiris run pipelines/movie-ratings.yaml
    osiris logs list
    osiris logs html --last --open
`;
