using Microsoft.EntityFrameworkCore;
using Sustain.Core.Funding;
using Sustain.Data;
using Sustain.Data.Projects;

namespace Sustain.Web.Projects;

/// <summary>
/// Sample signals for the demo organisation's projects, so a first visitor without network sees the
/// project and risks pages working. Stored with <see cref="SignalsStatus.Demo"/>, shown as sample
/// data, and already expired: when GitHub can be reached, the first enrichment replaces them.
/// The figures are illustrative, not a record of the real repositories.
/// </summary>
public sealed class DemoSignals(IDbContextFactory<SustainDbContext> contexts, TimeProvider clock)
{
    private sealed record Sample(string Key, int Stars, OwnerKind Owner, string License, int Maintainers, int ReleaseDaysAgo, int PushDaysAgo, long Dependents, bool Archived = false, params string[] Funding);

    private static readonly Sample[] Samples =
    [
        new("github.com/facebook/react", 228_000, OwnerKind.Organisation, "MIT", 38, 45, 1, 180_000),
        new("github.com/zertosh/loose-envify", 150, OwnerKind.User, "MIT", 1, 2_900, 2_500, 95_000),
        new("github.com/lydell/js-tokens", 500, OwnerKind.User, "MIT", 1, 400, 200, 60_000, false, "github:lydell"),
        new("github.com/expressjs/express", 65_000, OwnerKind.Organisation, "MIT", 14, 60, 3, 85_000, false, "open_collective:express"),
        new("github.com/expressjs/body-parser", 5_400, OwnerKind.Organisation, "MIT", 6, 90, 10, 40_000, false, "open_collective:express"),
        new("github.com/debug-js/debug", 11_000, OwnerKind.Organisation, "MIT", 2, 300, 40, 120_000),
        new("github.com/vercel/ms", 5_100, OwnerKind.Organisation, "MIT", 3, 500, 90, 70_000),
        new("github.com/ljharb/qs", 8_500, OwnerKind.User, "BSD-3-Clause", 1, 120, 14, 110_000, false, "github:ljharb", "tidelift:npm/qs"),
        new("github.com/ljharb/side-channel", 60, OwnerKind.User, "MIT", 1, 200, 30, 50_000, false, "github:ljharb"),
        new("github.com/jshttp/cookie", 1_400, OwnerKind.Organisation, "MIT", 3, 150, 20, 30_000),
        new("github.com/visionmedia/bytes.js", 480, OwnerKind.User, "MIT", 0, 1_400, 1_300, 25_000, true),
        new("github.com/lodash/lodash", 59_000, OwnerKind.Organisation, "MIT", 2, 1_700, 60, 160_000, false, "open_collective:lodash"),
        new("github.com/axios/axios", 105_000, OwnerKind.Organisation, "MIT", 9, 20, 2, 140_000, false, "open_collective:axios"),
        new("github.com/follow-redirects/follow-redirects", 520, OwnerKind.Organisation, "MIT", 1, 250, 100, 45_000),
        new("github.com/form-data/form-data", 2_300, OwnerKind.Organisation, "MIT", 2, 180, 60, 40_000),
        new("github.com/jshttp/mime-types", 1_300, OwnerKind.Organisation, "MIT", 2, 365, 80, 38_000),
        new("github.com/jshttp/mime-db", 1_100, OwnerKind.Organisation, "MIT", 3, 200, 30, 38_000),
        new("github.com/babel/babel", 43_000, OwnerKind.Organisation, "MIT", 25, 10, 1, 90_000, false, "open_collective:babel"),
        new("github.com/facebook/regenerator", 3_800, OwnerKind.Organisation, "MIT", 1, 800, 700, 30_000),
        new("github.com/zloirock/core-js", 24_000, OwnerKind.User, "MIT", 1, 100, 5, 55_000, false, "open_collective:core-js", "patreon:zloirock"),
        new("github.com/marak/colors.js", 5_200, OwnerKind.User, "MIT", 0, 1_450, 1_400, 20_000, true),
        new("github.com/spring-projects/spring-boot", 74_000, OwnerKind.Organisation, "Apache-2.0", 60, 20, 1, 30_000),
        new("github.com/spring-projects/spring-framework", 56_000, OwnerKind.Organisation, "Apache-2.0", 45, 20, 1, 40_000),
        new("github.com/fasterxml/jackson-databind", 3_500, OwnerKind.Organisation, "Apache-2.0", 4, 50, 3, 60_000, false, "github:cowtowncoder", "tidelift:maven/com.fasterxml.jackson.core:jackson-databind"),
        new("github.com/fasterxml/jackson-core", 2_300, OwnerKind.Organisation, "Apache-2.0", 3, 50, 5, 60_000, false, "github:cowtowncoder"),
        new("github.com/fasterxml/jackson-annotations", 1_100, OwnerKind.Organisation, "Apache-2.0", 1, 50, 30, 58_000, false, "github:cowtowncoder"),
        new("github.com/apache/tomcat", 7_500, OwnerKind.Organisation, "Apache-2.0", 18, 30, 1, 12_000, false, "custom:https://www.apache.org/foundation/contributing"),
        new("github.com/apache/logging-log4j2", 3_400, OwnerKind.Organisation, "Apache-2.0", 12, 70, 2, 25_000, false, "github:apache"),
        new("github.com/pgjdbc/pgjdbc", 1_500, OwnerKind.Organisation, "BSD-2-Clause", 5, 90, 7, 9_000),
        new("github.com/google/guava", 50_000, OwnerKind.Organisation, "Apache-2.0", 20, 40, 2, 70_000),
        new("github.com/bcgit/bc-java", 2_300, OwnerKind.Organisation, "MIT", 3, 160, 10, 11_000),
        new("github.com/xerial/snappy-java", 1_000, OwnerKind.Organisation, "Apache-2.0", 1, 400, 150, 8_000),
    ];

    /// <summary>Stores the samples for projects that have no signals yet; creates the project rows the resolver will find.</summary>
    public async Task SeedAsync(CancellationToken cancellation = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var keys = Samples.Select(s => s.Key).ToList();
        var projects = await db.Projects.Where(p => keys.Contains(p.Key)).Select(p => p.Key).ToListAsync(cancellation);
        var signalled = await db.ProjectSignals.Where(s => keys.Contains(s.ProjectKey)).Select(s => s.ProjectKey).ToListAsync(cancellation);
        foreach (var sample in Samples)
        {
            if (!projects.Contains(sample.Key))
                db.Projects.Add(ProjectResolver.NewProject(sample.Key, now));
            if (signalled.Contains(sample.Key))
                continue;
            db.ProjectSignals.Add(new ProjectSignals
            {
                ProjectKey = sample.Key,
                Status = SignalsStatus.Demo,
                Stars = sample.Stars,
                Archived = sample.Archived,
                LastPushAt = now.AddDays(-sample.PushDaysAgo),
                OwnerKind = sample.Owner,
                LicenseSpdxId = sample.License,
                DefaultBranch = "main",
                Maintainers = sample.Maintainers,
                LatestReleaseAt = now.AddDays(-sample.ReleaseDaysAgo),
                Dependents = sample.Dependents,
                FundingChannelsJson = StoredFundingChannel.Serialise(FundingChannels.From(Funding(sample.Funding), null)),
                FetchedAt = now,
                ExpiresAt = now,
            });
        }

        await db.SaveChangesAsync(cancellation);
    }

    private static FundingYml? Funding(string[] entries)
    {
        if (entries.Length == 0)
            return null;
        var yml = string.Join('\n', entries.Select(e => e.Split(':', 2)).GroupBy(p => p[0]).Select(g => $"{g.Key}: {(g.Count() == 1 ? g.First()[1] : "[" + string.Join(", ", g.Select(p => p[1])) + "]")}"));
        return FundingYml.Parse(yml);
    }
}
