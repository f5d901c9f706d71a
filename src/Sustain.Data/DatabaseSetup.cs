using Microsoft.EntityFrameworkCore;
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

    public static IServiceCollection AddSustainDatabase(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddDbContextFactory<SustainDbContext>(options => options.UseSustainDatabase(database.Provider, database.ConnectionString));
        return services;
    }
}
