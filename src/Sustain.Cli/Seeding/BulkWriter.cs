using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sustain.Data;

namespace Sustain.Cli.Seeding;

/// <summary>
/// Writes many rows into one table as fast as the provider allows: a prepared statement reused inside
/// one transaction on SQLite, binary COPY on PostgreSQL. Values are written as stored (instants as UTC
/// ticks, enums as their names), since this bypasses EF's converters.
/// </summary>
internal abstract class BulkWriter : IAsyncDisposable
{
    public static async Task<BulkWriter> OpenAsync(DatabaseProvider provider, DbConnection connection, string table, string[] columns, CancellationToken cancellation) => provider switch
    {
        DatabaseProvider.Sqlite => await SqliteWriter.OpenAsync((SqliteConnection)connection, table, columns, cancellation),
        DatabaseProvider.Postgres => await PostgresWriter.OpenAsync((NpgsqlConnection)connection, table, columns, cancellation),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public abstract ValueTask WriteAsync(object?[] row, CancellationToken cancellation);

    /// <summary>Makes the rows permanent; rows of a writer disposed without completing are discarded.</summary>
    public abstract ValueTask CompleteAsync(CancellationToken cancellation);

    public abstract ValueTask DisposeAsync();

    private static string Quote(string name) => $"\"{name}\"";

    private sealed class SqliteWriter(SqliteTransaction transaction, SqliteCommand command, SqliteParameter[] parameters) : BulkWriter
    {
        public static async Task<BulkWriter> OpenAsync(SqliteConnection connection, string table, string[] columns, CancellationToken cancellation)
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellation);
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
            var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
            command.Prepare();
            return new SqliteWriter(transaction, command, parameters);
        }

        public override async ValueTask WriteAsync(object?[] row, CancellationToken cancellation)
        {
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    // EF Core's SQLite provider stores a Guid as upper-case text; joins compare the text.
                    Guid guid => guid.ToString().ToUpperInvariant(),
                    bool flag => flag ? 1 : 0,
                    var value => value,
                };
            }

            await command.ExecuteNonQueryAsync(cancellation);
        }

        public override async ValueTask CompleteAsync(CancellationToken cancellation) => await transaction.CommitAsync(cancellation);

        public override async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await transaction.DisposeAsync();
        }
    }

    private sealed class PostgresWriter(NpgsqlBinaryImporter importer) : BulkWriter
    {
        public static async Task<BulkWriter> OpenAsync(NpgsqlConnection connection, string table, string[] columns, CancellationToken cancellation) =>
            new PostgresWriter(await connection.BeginBinaryImportAsync($"COPY {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) FROM STDIN (FORMAT BINARY)", cancellation));

        public override async ValueTask WriteAsync(object?[] row, CancellationToken cancellation)
        {
            await importer.StartRowAsync(cancellation);
            foreach (var value in row)
            {
                switch (value)
                {
                    case null: await importer.WriteNullAsync(cancellation); break;
                    case Guid guid: await importer.WriteAsync(guid, cancellation); break;
                    case string text: await importer.WriteAsync(text, cancellation); break;
                    case long number: await importer.WriteAsync(number, cancellation); break;
                    case int number: await importer.WriteAsync(number, cancellation); break;
                    case bool flag: await importer.WriteAsync(flag, cancellation); break;
                    default: throw new ArgumentException($"No COPY mapping for {value.GetType().Name}.", nameof(row));
                }
            }
        }

        public override async ValueTask CompleteAsync(CancellationToken cancellation) => await importer.CompleteAsync(cancellation);

        public override async ValueTask DisposeAsync() => await importer.DisposeAsync();
    }
}
