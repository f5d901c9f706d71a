using Microsoft.EntityFrameworkCore;
using Sustain.Core.Ledger;
using Sustain.Core.Maintainers;
using Sustain.Data.Ledger;
using Sustain.Data.Maintainers;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Leaderboards;

/// <summary>
/// A small world whose rankings can be worked out by hand:
/// Initech gave USD 20,000 (4 developers), Globex USD 15,000 (10 developers), Hushco (not public)
/// USD 3,000; Dormant (public) gave nothing. Gamma is relied on by all four and funded by none.
/// </summary>
internal sealed class LeaderboardDataset
{
    public const string Alpha = "github.com/lib/alpha";
    public const string Beta = "github.com/lib/beta";
    public const string Gamma = "github.com/lib/gamma";
    public const string Delta = "github.com/lib/delta";

    /// <summary>A repository only Hushco's SBOM names, never seen on GitHub: an internal one, never listed publicly.</summary>
    public const string Internal = "github.com/hush-internal/vault";

    public const string PrivateName = "Hushco Secret Labs";

    public required Organisation Globex { get; init; }

    public required Organisation Initech { get; init; }

    public required Organisation Hushco { get; init; }

    public required Organisation Dormant { get; init; }

    public static SustainAppFactory App(int cacheSeconds = 0) => new() { Settings = { ["Leaderboards:CacheSeconds"] = cacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    public static async Task<LeaderboardDataset> CreateAsync(SustainAppFactory app)
    {
        var owner = await app.CreateUserAsync();
        var dataset = new LeaderboardDataset
        {
            Globex = await OrganisationAsync(app, owner.Id, "Globex", "globex", 10, optIn: true),
            Initech = await OrganisationAsync(app, owner.Id, "Initech", "initech", 4, optIn: true),
            Hushco = await OrganisationAsync(app, owner.Id, PrivateName, "hushco-secret", 50, optIn: false),
            Dormant = await OrganisationAsync(app, owner.Id, "Dormant", "dormant", 3, optIn: true),
        };
        var maintainerOne = await app.CreateUserAsync();
        var maintainerTwo = await app.CreateUserAsync();
        var now = DateTimeOffset.UtcNow;

        await app.QueryAsync(async db =>
        {
            foreach (var key in new[] { Alpha, Beta, Gamma, Delta, Internal })
            {
                var parts = key.Split('/');
                db.Projects.Add(new Project { Key = key, Host = parts[0], Owner = parts[1], Name = parts[2], RepositoryUrl = $"https://{key}" });
                db.Packages.Add(new Package { Key = $"pkg:npm/{parts[2]}", Ecosystem = "npm", Name = parts[2] });
            }

            db.ProjectSignals.Add(new ProjectSignals { ProjectKey = Delta, Status = SignalsStatus.Fetched, Dependents = 500, FetchedAt = now, ExpiresAt = now.AddDays(1) });
            // GitHub has shown these to be public repositories, so they may be listed.
            foreach (var key in new[] { Alpha, Beta, Gamma })
                db.ProjectSignals.Add(new ProjectSignals { ProjectKey = key, Status = SignalsStatus.Fetched, FetchedAt = now, ExpiresAt = now.AddDays(1) });
            Relies(db, dataset.Globex, Alpha, Beta, Gamma);
            Relies(db, dataset.Initech, Alpha, Gamma);
            Relies(db, dataset.Hushco, Alpha, Gamma, Internal);
            Relies(db, dataset.Dormant, Gamma);

            Claim(db, Alpha, maintainerOne.Id, "alpha-one");
            Claim(db, Alpha, maintainerTwo.Id, "alpha-two");
            Claim(db, Beta, maintainerTwo.Id, "beta-two");
            db.MaintainerClaims.Add(new MaintainerClaim { ProjectKey = Gamma, UserId = maintainerOne.Id, GitHubLogin = "gamma-pending", VerificationToken = Guid.NewGuid().ToString("N"), State = ClaimState.Pending });

            Pay(db, dataset.Globex, now.AddMonths(-2), "USD", (Alpha, 1_000_000), (Beta, 500_000));
            Pay(db, dataset.Initech, now.AddDays(-10), "USD", (Alpha, 2_000_000));
            Pay(db, dataset.Hushco, now.AddMonths(-1), "USD", (Beta, 300_000));
            // Outside the twelve-month window, and in another currency: neither counts.
            Pay(db, dataset.Initech, now.AddMonths(-13), "USD", (Beta, 9_999_900));
            Pay(db, dataset.Globex, now.AddMonths(-1), "EUR", (Gamma, 7_000_000));
            await db.SaveChangesAsync();
            return 0;
        });
        return dataset;
    }

    private static async Task<Organisation> OrganisationAsync(SustainAppFactory app, string ownerId, string name, string slug, int developers, bool optIn)
    {
        var organisation = await app.CreateOrganisationAsync(ownerId, name, slug);
        await app.QueryAsync(db => db.Organisations.Where(o => o.Id == organisation.Id)
            .ExecuteUpdateAsync(o => o.SetProperty(x => x.LeaderboardOptIn, optIn).SetProperty(x => x.DeveloperHeadcount, developers)));
        return organisation;
    }

    private static void Relies(Sustain.Data.SustainDbContext db, Organisation organisation, params string[] projects)
    {
        foreach (var project in projects)
            db.PackageProjects.Add(new PackageProject { OrganisationId = organisation.Id, PackageKey = $"pkg:npm/{project.Split('/')[2]}", ProjectKey = project, Source = MappingSource.Sbom });
    }

    private static void Claim(Sustain.Data.SustainDbContext db, string project, string userId, string login) =>
        db.MaintainerClaims.Add(new MaintainerClaim { ProjectKey = project, UserId = userId, GitHubLogin = login, VerificationToken = Guid.NewGuid().ToString("N"), State = ClaimState.Verified, VerifiedAt = DateTimeOffset.UtcNow });

    /// <summary>A payment recorded when it was posted, as one that arrived on time; long before the leaderboards first look.</summary>
    private static void Pay(Sustain.Data.SustainDbContext db, Organisation organisation, DateTimeOffset at, string currency, params (string Project, long Minor)[] shares) =>
        Post(db, organisation, LedgerKinds.Payment, at, at, currency, shares);

    /// <summary>A balanced posting: the organisation's clearing account against project escrow (negative shares for a refund or dispute).</summary>
    public static LedgerPosting Post(Sustain.Data.SustainDbContext db, Organisation organisation, string kind, DateTimeOffset postedAt, DateTimeOffset recordedAt, string currency, params (string Project, long Minor)[] shares)
    {
        var posting = new LedgerPosting { Kind = kind, OrganisationId = organisation.Id, PostedAt = postedAt, RecordedAt = recordedAt, Description = $"test {kind}" };
        posting.Lines.Add(new LedgerLine { Account = LedgerAccounts.PaymentsClearing(organisation.Id), Currency = currency, AmountMinor = -shares.Sum(s => s.Minor) });
        foreach (var (project, minor) in shares)
            posting.Lines.Add(new LedgerLine { Account = LedgerAccounts.ProjectEscrow(project), Currency = currency, AmountMinor = minor, ProjectKey = project });
        db.LedgerPostings.Add(posting);
        return posting;
    }
}
