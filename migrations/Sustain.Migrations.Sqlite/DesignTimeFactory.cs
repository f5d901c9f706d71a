using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sustain.Data;

namespace Sustain.Migrations.Sqlite;

/// <summary>Lets `dotnet ef` build the context for SQLite without starting the app.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SustainDbContext>
{
    public SustainDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SustainDbContext>();
        options.UseSustainDatabase(DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new SustainDbContext(options.Options);
    }
}
