using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Sustain.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Defaults to a SQLite file beside the app's content root.</summary>
    public string ConnectionString { get; set; } = "Data Source=sustain.db";

    /// <summary>Apply pending migrations when the app starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "Sustain.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Sustain.Migrations.Postgres";

    public static DbContextOptionsBuilder UseSustainDatabase(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => options.UseSqlite(connectionString, b => b.MigrationsAssembly(SqliteMigrationsAssembly)),
        DatabaseProvider.Postgres => options.UseNpgsql(connectionString, b => b.MigrationsAssembly(PostgresMigrationsAssembly)),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Database:Provider is Sqlite or Postgres."),
    };

    /// <summary>
    /// Applies pending migrations. A SQLite file is switched to write-ahead logging (which the file
    /// keeps), so the pages' and job runners' reads never hold up a write, nor a write the reads.
    /// </summary>
    public static async Task MigrateSustainDatabaseAsync(this DatabaseFacade database, CancellationToken cancellationToken = default)
    {
        await database.MigrateAsync(cancellationToken);
        if (database.IsSqlite())
            await database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL", cancellationToken);
    }

    public static IServiceCollection AddSustainDatabase(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddDbContextFactory<SustainDbContext>(options => options.UseSustainDatabase(database.Provider, database.ConnectionString));
        return services;
    }
}
