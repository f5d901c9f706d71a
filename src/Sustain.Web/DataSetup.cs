using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Web.Demo;

namespace Sustain.Web;

public static class DataSetup
{
    public static IHostApplicationBuilder AddSustainData(this IHostApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddSingleton(database);
        builder.Services.AddSustainDatabase(database);
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<SustainDbContext>>().CreateDbContext());

        // Keys in the database, so cookies and antiforgery tokens work on whichever instance a request lands.
        builder.Services.AddDataProtection().SetApplicationName("Sustain").PersistKeysToDbContext<SustainDbContext>();
        return builder;
    }

    /// <summary>Applies migrations (when <c>Database:MigrateOnStartup</c>) and seeds the demo organisation (when <c>Demo:Seed</c>).</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<DatabaseOptions>();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SustainDbContext>();
        if (database.MigrateOnStartup)
            await db.Database.MigrateSustainDatabaseAsync();
        await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
    }
}
