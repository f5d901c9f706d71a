using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sustain.Data;

namespace Sustain.Migrations.Postgres;

/// <summary>Lets `dotnet ef` build the context for PostgreSQL without a server (migrations need none).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SustainDbContext>
{
    public SustainDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SustainDbContext>();
        options.UseSustainDatabase(DatabaseProvider.Postgres, "Host=localhost;Database=sustain_design");
        return new SustainDbContext(options.Options);
    }
}
