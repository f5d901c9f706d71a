using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Data;

namespace Sustain.Cli.Seeding;

/// <summary>
/// <c>sustain seed</c>: fills a database with a large synthetic dataset for benchmarks and demos:
/// organisations (most opted in to the leaderboards), projects with one package and dependents
/// each, what each organisation relies on (skewed, so some projects are relied on by many), and
/// balanced payment postings spread over the last fifteen months. The same arguments give the same
/// data. Synthetic postings name no Stripe event, so the operator's ledger check reports them.
/// </summary>
internal static class SeedCommand
{
    public const string SlugPrefix = "seed-org-";

    public static Command Create(TextWriter stdout)
    {
        var organisations = new Option<int>("--orgs") { Description = "Organisations to create.", DefaultValueFactory = _ => 1_000 };
        var projects = new Option<int>("--projects") { Description = "Projects to create, each with one package.", DefaultValueFactory = _ => 10_000 };
        var ledger = new Option<int>("--ledger") { Description = "Ledger lines to write (six per payment: clearing, fee and four projects).", DefaultValueFactory = _ => 100_000 };
        var reliance = new Option<int>("--relies-on") { Description = "Projects each organisation relies on.", DefaultValueFactory = _ => 20 };
        var database = new Option<string>("--database") { Description = "The connection string, such as 'Data Source=bench.db'.", Required = true };
        var provider = new Option<DatabaseProvider>("--provider") { Description = "Sqlite or Postgres.", DefaultValueFactory = _ => DatabaseProvider.Sqlite };
        var seed = new Option<int>("--seed") { Description = "Seed of the random choices.", DefaultValueFactory = _ => 42 };
        var command = new Command("seed", "Fill a database with a large synthetic dataset (organisations, projects, reliance, ledger) for benchmarks and demos.")
        {
            organisations, projects, ledger, reliance, database, provider, seed,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var size = new SeedSize(parsed.GetValue(organisations), parsed.GetValue(projects), parsed.GetValue(ledger), parsed.GetValue(reliance), parsed.GetValue(seed));
            return RunAsync(size, parsed.GetValue(provider), parsed.GetRequiredValue(database), stdout, cancellation);
        });
        return command;
    }

    private static async Task<int> RunAsync(SeedSize size, DatabaseProvider provider, string connectionString, TextWriter stdout, CancellationToken cancellation)
    {
        size.Validate();
        var builder = new DbContextOptionsBuilder<SustainDbContext>();
        builder.UseSustainDatabase(provider, connectionString);
        var options = builder.Options;
        await using var db = new SustainDbContext(options);
        try
        {
            await db.Database.MigrateSustainDatabaseAsync(cancellation);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidInputException($"cannot open the {provider} database '{connectionString}': {e.Message.Split('\n')[0]}", e);
        }

        if (await db.Organisations.AnyAsync(o => o.Slug.StartsWith(SlugPrefix), cancellation))
            throw new InvalidInputException($"the database already holds seeded organisations ({SlugPrefix}…); seed an empty database");

        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await connection.OpenAsync(cancellation);
        if (provider == DatabaseProvider.Sqlite)
        {
            // Index pages for a million lines do not fit SQLite's default 2 MB page cache; every insert would go to disk.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -262144";
            await pragma.ExecuteNonQueryAsync(cancellation);
        }

        var clock = Stopwatch.StartNew();
        var generator = new SeedData(size, DateTimeOffset.UtcNow);
        foreach (var table in generator.Tables())
        {
            var started = clock.Elapsed;
            await using var writer = await BulkWriter.OpenAsync(provider, connection, table.Name, table.Columns, cancellation);
            long rows = 0;
            foreach (var row in table.Rows())
            {
                await writer.WriteAsync(row, cancellation);
                rows++;
            }

            await writer.CompleteAsync(cancellation);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table.Name,-16} {rows,12:N0} rows in {(clock.Elapsed - started).TotalSeconds,6:N1} s"));
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded in {clock.Elapsed.TotalSeconds:N1} s"));
        return SustainCli.Success;
    }
}

internal sealed record SeedSize(int Organisations, int Projects, int LedgerLines, int ReliesOn, int Seed)
{
    public const int LinesPerPayment = 6;

    public void Validate()
    {
        if (Organisations < 1 || Projects < SeedData.ProjectsPerPayment || LedgerLines < LinesPerPayment || ReliesOn < 1)
            throw new InvalidInputException($"--orgs must be at least 1, --projects at least {SeedData.ProjectsPerPayment}, --ledger at least {LinesPerPayment}, --relies-on at least 1");
    }
}

internal sealed record SeedTable(string Name, string[] Columns, Func<IEnumerable<object?[]>> Rows);

/// <summary>The synthetic rows, generated lazily table by table so a million lines never sit in memory.</summary>
internal sealed class SeedData(SeedSize size, DateTimeOffset now)
{
    public const int ProjectsPerPayment = 4;

    private readonly Currency _usd = Currency.USD;

    public static string OrganisationSlug(int i) => $"{SeedCommand.SlugPrefix}{i:D6}";

    public static string ProjectKey(int i) => $"github.com/seed-owner-{i / 10:D5}/seed-project-{i:D6}";

    public static Guid OrganisationId(int i) => DeterministicGuid(1, i);

    public IEnumerable<SeedTable> Tables()
    {
        yield return new SeedTable("Organisations", ["Id", "Slug", "Name", "DeveloperHeadcount", "Description", "Website", "LeaderboardOptIn", "CreatedAt"], Organisations);
        yield return new SeedTable("Projects", ["Key", "Host", "Owner", "Name", "RepositoryUrl", "FirstSeenAt"], Projects);
        yield return new SeedTable("Packages", ["Key", "Ecosystem", "Name", "DependentPackagesCount", "DependentReposCount", "FirstSeenAt"], Packages);
        yield return new SeedTable("ProjectSignals", ["ProjectKey", "Status", "OwnerKind", "Stars", "Dependents", "FetchedAt", "ExpiresAt"], Signals);
        yield return new SeedTable("PackageProjects", ["OrganisationId", "PackageKey", "ProjectKey", "Source", "ResolvedAt"], Reliance);
        yield return new SeedTable("LedgerPostings", ["Id", "PostedAt", "RecordedAt", "Kind", "OrganisationId", "Description"], Postings);
        yield return new SeedTable("LedgerLines", ["PostingId", "Account", "Currency", "AmountMinor", "ProjectKey"], Lines);
    }

    private IEnumerable<object?[]> Organisations()
    {
        var random = new Random(size.Seed);
        for (var i = 0; i < size.Organisations; i++)
        {
            yield return [OrganisationId(i), OrganisationSlug(i), $"Seed Organisation {i:D6}", 5 + random.Next(500), "Synthetic organisation from sustain seed.", null,
                random.NextDouble() < 0.7, now.UtcTicks];
        }
    }

    private IEnumerable<object?[]> Projects()
    {
        for (var i = 0; i < size.Projects; i++)
        {
            var key = ProjectKey(i);
            var parts = key.Split('/');
            yield return [key, parts[0], parts[1], parts[2], $"https://{key}", now.UtcTicks];
        }
    }

    private IEnumerable<object?[]> Packages()
    {
        for (var i = 0; i < size.Projects; i++)
            yield return [Package(i), "npm", $"seed-project-{i:D6}", Dependents(i), null, now.UtcTicks];
    }

    private IEnumerable<object?[]> Signals()
    {
        for (var i = 0; i < size.Projects; i++)
            yield return [ProjectKey(i), "Fetched", "User", 10 + (int)(Dependents(i) / 10), (long)Dependents(i), now.UtcTicks, now.AddDays(7).UtcTicks];
    }

    private IEnumerable<object?[]> Reliance()
    {
        for (var org = 0; org < size.Organisations; org++)
        {
            foreach (var project in ReliedOn(org))
                yield return [OrganisationId(org), Package(project), ProjectKey(project), "Sbom", now.UtcTicks];
        }
    }

    /// <summary>Each posting recorded when it was posted, as the app writes a payment that arrives on time.</summary>
    private IEnumerable<object?[]> Postings()
    {
        foreach (var payment in Payments())
            yield return [payment.Id, payment.At.UtcTicks, payment.At.UtcTicks, LedgerKinds.Payment, OrganisationId(payment.Organisation), "Synthetic payment from sustain seed"];
    }

    /// <summary>Per payment: the organisation's clearing credit, Stripe's fee, and the rest split over four projects; each payment sums to zero.</summary>
    private IEnumerable<object?[]> Lines()
    {
        foreach (var payment in Payments())
        {
            var fee = payment.Gross * 29 / 1000 + 30;
            var net = payment.Gross - fee;
            var entries = new List<LedgerEntry>
            {
                new(LedgerAccounts.PaymentsClearing(OrganisationId(payment.Organisation)), new Money(-payment.Gross, _usd)),
                new(LedgerAccounts.StripeFees, new Money(fee, _usd)),
            };
            var part = net / ProjectsPerPayment;
            for (var i = 0; i < ProjectsPerPayment; i++)
                entries.Add(new(LedgerAccounts.ProjectEscrow(ProjectKey(payment.Projects[i])), new Money(i == ProjectsPerPayment - 1 ? net - part * (ProjectsPerPayment - 1) : part, _usd)));
            foreach (var entry in LedgerTransaction.Create(LedgerKinds.Payment, entries).Entries)
                yield return [payment.Id, entry.Account, entry.Amount.Currency.Code, entry.Amount.Minor, LedgerAccounts.ProjectOf(entry.Account)];
        }
    }

    private sealed record Payment(Guid Id, int Organisation, DateTimeOffset At, long Gross, int[] Projects);

    /// <summary>The same sequence each time it is enumerated, so postings and their lines agree.</summary>
    private IEnumerable<Payment> Payments()
    {
        var random = new Random(size.Seed + 1);
        var count = size.LedgerLines / SeedSize.LinesPerPayment;
        var window = TimeSpan.FromDays(456).Ticks;
        for (var i = 0; i < count; i++)
        {
            var organisation = Skewed(random, size.Organisations, 2);
            var relied = ReliedOn(organisation);
            var projects = new int[ProjectsPerPayment];
            for (var p = 0; p < ProjectsPerPayment; p++)
                projects[p] = random.NextDouble() < 0.9 ? relied[random.Next(relied.Length)] : random.Next(size.Projects);
            // Distinct projects per payment, so each payment has one line per project account.
            projects = projects.Distinct().ToArray();
            while (projects.Length < ProjectsPerPayment)
                projects = projects.Append(random.Next(size.Projects)).Distinct().ToArray();
            var at = now.AddTicks(-(long)(random.NextDouble() * window));
            yield return new Payment(DeterministicGuid(2, i), organisation, at, 10_000 + random.Next(490_000), projects);
        }
    }

    /// <summary>Which projects an organisation relies on: always the same for one organisation, skewed towards low project numbers.</summary>
    private int[] ReliedOn(int organisation)
    {
        var random = new Random(HashCode.Combine(size.Seed, organisation));
        var chosen = new HashSet<int>();
        var wanted = Math.Min(size.ReliesOn, size.Projects);
        while (chosen.Count < wanted)
            chosen.Add(Skewed(random, size.Projects, 3));
        return [.. chosen.Order()];
    }

    private static int Skewed(Random random, int count, int power) => Math.Min(count - 1, (int)(count * Math.Pow(random.NextDouble(), power)));

    private static int Dependents(int project) => (int)Math.Min(int.MaxValue, 2_000_000L / (project + 1));

    private static string Package(int project) => $"pkg:npm/seed-project-{project:D6}";

    private static Guid DeterministicGuid(int kind, int i)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, kind);
        BitConverter.TryWriteBytes(bytes[4..], i);
        bytes[15] = 0x5e;
        return new Guid(bytes);
    }
}
