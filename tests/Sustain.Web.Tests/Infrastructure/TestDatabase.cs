using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sustain.Web.Tests.Infrastructure;

/// <summary>
/// A real, empty database for one app factory: a SQLite file in a fresh temp folder, or, when
/// <c>SUSTAIN_TEST_POSTGRES</c> holds a connection string, a uniquely named PostgreSQL database
/// created on that server and dropped afterwards.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "SUSTAIN_TEST_POSTGRES";

    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    public static TestDatabase Create()
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        return string.IsNullOrWhiteSpace(postgres) ? new SqliteTestDatabase() : new PostgresTestDatabase(postgres);
    }

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteTestDatabase : TestDatabase
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("sustain-web-tests-").FullName;

        public override string Provider => "Sqlite";

        public override string ConnectionString => $"Data Source={Path.Combine(_folder, "sustain.db")}";

        public override ValueTask DisposeAsync()
        {
            // Pooled connections keep the file open; release them before deleting it.
            using (var connection = new SqliteConnection(ConnectionString))
                SqliteConnection.ClearPool(connection);
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresTestDatabase : TestDatabase
    {
        private readonly string _server;
        private readonly string _name = $"sustain_test_{Guid.NewGuid():N}";

        public PostgresTestDatabase(string server)
        {
            _server = server;
            Execute($"CREATE DATABASE \"{_name}\"");
        }

        public override string Provider => "Postgres";

        public override string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;

        public override async ValueTask DisposeAsync()
        {
            using (var connection = new NpgsqlConnection(ConnectionString))
                NpgsqlConnection.ClearPool(connection);

            // FORCE ends the sessions still open, but a connection that opens between that and the
            // drop (a pool reconnecting as the app stops) makes the drop fail. Refusing new
            // connections first closes that window; the retries cover a server busy with the drops
            // and creations of the other test classes running at the same time.
            Execute($"ALTER DATABASE \"{_name}\" WITH ALLOW_CONNECTIONS false");
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Execute($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
                    return;
                }
                catch (PostgresException) when (attempt < 10)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
                }
            }
        }

        private void Execute(string sql)
        {
            using var connection = new NpgsqlConnection(_server);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }
}
