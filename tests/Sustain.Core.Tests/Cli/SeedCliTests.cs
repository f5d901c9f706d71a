using Microsoft.Data.Sqlite;
using Sustain.Cli;

namespace Sustain.Core.Tests.Cli;

public sealed class SeedCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sustain-seed-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string Database => $"Data Source={Path.Combine(_directory, "seed.db")}";

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = SustainCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(Database);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Seed_writes_the_asked_sizes_and_every_posting_balances()
    {
        var (code, output, error) = Run("seed", "--orgs", "30", "--projects", "200", "--ledger", "600", "--relies-on", "5", "--database", Database);

        Assert.True(code == SustainCli.Success, error);
        Assert.Contains("LedgerLines", output, StringComparison.Ordinal);
        Assert.Equal(30, Scalar("SELECT COUNT(*) FROM Organisations WHERE Slug LIKE 'seed-org-%'"));
        Assert.Equal(200, Scalar("SELECT COUNT(*) FROM Projects"));
        Assert.Equal(150, Scalar("SELECT COUNT(*) FROM PackageProjects"));
        Assert.Equal(100, Scalar("SELECT COUNT(*) FROM LedgerPostings"));
        Assert.Equal(600, Scalar("SELECT COUNT(*) FROM LedgerLines"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM (SELECT PostingId FROM LedgerLines GROUP BY PostingId, Currency HAVING SUM(AmountMinor) <> 0)"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM LedgerLines l LEFT JOIN LedgerPostings p ON p.Id = l.PostingId WHERE p.Id IS NULL"));
        Assert.Equal(400, Scalar("SELECT COUNT(*) FROM LedgerLines WHERE ProjectKey IS NOT NULL AND Account = 'project:' || ProjectKey || ':escrow'"));
        // Recorded when posted, as a payment that arrived on time: the leaderboards find new postings by when they were recorded.
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM LedgerPostings WHERE RecordedAt <> PostedAt"));
    }

    [Fact]
    public void Seed_refuses_a_database_that_was_already_seeded()
    {
        Assert.Equal(SustainCli.Success, Run("seed", "--orgs", "2", "--projects", "10", "--ledger", "12", "--database", Database).Code);

        var (code, _, error) = Run("seed", "--orgs", "2", "--projects", "10", "--ledger", "12", "--database", Database);

        Assert.Equal(SustainCli.InvalidInput, code);
        Assert.Contains("already holds seeded organisations", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_refuses_sizes_too_small_to_make_a_payment()
    {
        var (code, _, error) = Run("seed", "--projects", "2", "--database", Database);

        Assert.Equal(SustainCli.InvalidInput, code);
        Assert.Contains("--projects at least 4", error, StringComparison.Ordinal);
    }
}
