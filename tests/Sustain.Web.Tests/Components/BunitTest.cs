using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Sustain.Data;
using Sustain.Web.Organisations;

namespace Sustain.Web.Tests.Components;

/// <summary>
/// The base of component tests: MudBlazor's services, JS interop that answers every call with a default
/// (MudBlazor calls into JS for focus and layout, which a component test does not exercise), and the
/// app's services over a real SQLite database that lives as long as the test.
/// </summary>
public abstract class BunitTest : BunitContext, IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    protected BunitTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();

        _connection.Open();
        Services.AddDbContextFactory<SustainDbContext>(options => UseDatabase(options));
        Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<SustainDbContext>>().CreateDbContext());
        Services.AddScoped<OrganisationAccess>();
        Services.AddScoped<OrganisationService>();
        using var db = NewDbContext();
        db.Database.Migrate();
    }

    /// <summary>A context of its own, to arrange data before rendering and check what a component stored.</summary>
    protected SustainDbContext NewDbContext() => new(UseDatabase(new DbContextOptionsBuilder<SustainDbContext>()).Options);

    private T UseDatabase<T>(T options)
        where T : DbContextOptionsBuilder
    {
        options.UseSqlite(_connection, sqlite => sqlite.MigrationsAssembly(DatabaseSetup.SqliteMigrationsAssembly));
        return options;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // xunit 2 disposes a test class synchronously, which MudBlazor's async-only services refuse; it awaits this first.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _connection.Dispose();
    }
}
