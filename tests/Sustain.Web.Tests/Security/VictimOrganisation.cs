using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;
using Sustain.Web.Allocations;
using Sustain.Web.Organisations;
using Sustain.Data.Pledges;
using Sustain.Web.Payments;
using Sustain.Web.Tests.Infrastructure;
using Sustain.Web.Tests.Pledges;

namespace Sustain.Web.Tests.Security;

/// <summary>
/// An organisation with private data of every kind the app holds, each carrying a unique marker, so a
/// leak shows up as the marker in an answer: its name and description, its member's name and email,
/// a product, an SBOM whose components are named after the marker, an API token, an allocation policy
/// and a saved allocation snapshot whose projects are named after the marker.
/// </summary>
public sealed class VictimOrganisation
{
    public required string Marker { get; init; }

    public required string Slug { get; init; }

    public required Guid OrganisationId { get; init; }

    public required string UserId { get; init; }

    public required string Cookie { get; init; }

    public required string Token { get; init; }

    public required Guid TokenId { get; init; }

    public required string ProductSlug { get; init; }

    public required Guid ProductId { get; init; }

    public required Guid UploadId { get; init; }

    public required string UploadSha256 { get; init; }

    public required Guid SnapshotId { get; init; }
    /// <summary>A project the victim's SBOM uses (mapped by hand); its page shows the victim's product and package names.</summary>
    public required string ProjectKey { get; init; }

    public required Guid PledgeId { get; init; }

    public required Guid PaymentId { get; init; }

    public required string ReceiptNumber { get; init; }

    /// <summary>Strings that only the victim's private data contains.</summary>
    public IReadOnlyList<string> Markers => [Marker, UploadSha256, Token, ReceiptNumber];

    public static async Task<VictimOrganisation> CreateAsync(SustainAppFactory app)
    {
        var marker = "zq" + Guid.NewGuid().ToString("N")[..12];
        var (user, _, cookie) = await app.SignedInUserAsync($"Victim {marker}", $"victim-{marker}@example.test");
        var organisation = await app.CreateOrganisationAsync(user.Id, $"Victim {marker}", SustainAppFactory.UniqueSlug("victim"));
        var token = await app.CreateTokenAsync(organisation, user.Id, ApiTokenScopes.SbomsRead | ApiTokenScopes.SbomsWrite, name: $"deploy {marker}");
        const string product = "crown-jewels";
        using (var client = app.CreateTokenClient(token))
        using (var upload = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, product), SbomFixtures.Body(SbomFixtures.CycloneDxJson(marker))))
            await upload.AssertStatusAsync(HttpStatusCode.Created);

        var snapshotId = await SaveAllocationAsync(app, organisation, user.Id, marker);
        // Not named after the marker: an outsider types the key in the URL, and pages may echo it back.
        var projectKey = $"github.com/crown-{Guid.NewGuid():N}"[..32] + "/jewels";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var access = new Sustain.Web.Organisations.OrgAccess(organisation, OrganisationRole.Owner, user.Id, null, ApiTokenScopes.None);
            var error = await scope.ServiceProvider.GetRequiredService<Sustain.Web.Projects.ProjectCatalogue>().MapAsync(access, $"pkg:npm/{marker}-a", "https://" + projectKey);
            Assert.Null(error);
        }

        var (pledgeId, paymentId, receipt) = await PaidPledgeAsync(app, organisation.Id, marker);
        return await app.QueryAsync(async db =>
        {
            await db.Products.Where(p => p.OrganisationId == organisation.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, $"Crown jewels {marker}"));
            await db.Organisations.Where(o => o.Id == organisation.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Description, $"Secret plans {marker}"));
            var upload = await db.SbomUploads.SingleAsync(u => u.OrganisationId == organisation.Id);
            return new VictimOrganisation
            {
                Marker = marker,
                Slug = organisation.Slug,
                OrganisationId = organisation.Id,
                UserId = user.Id,
                Cookie = cookie,
                Token = token,
                TokenId = await db.ApiTokens.Where(t => t.OrganisationId == organisation.Id).Select(t => t.Id).SingleAsync(),
                ProductSlug = product,
                ProductId = upload.ProductId,
                UploadId = upload.Id,
                UploadSha256 = upload.Sha256,
                SnapshotId = snapshotId,
                ProjectKey = projectKey,
                PledgeId = pledgeId,
                PaymentId = paymentId,
                ReceiptNumber = receipt,
            };
        });
    }

    /// <summary>The victim's first package maps to a project named after the marker; a policy excludes another; one snapshot is saved.</summary>
    private static async Task<Guid> SaveAllocationAsync(SustainAppFactory app, Organisation organisation, string userId, string marker)
    {
        var project = $"github.com/{marker}/crown-jewels";
        await app.QueryAsync(async db =>
        {
            db.Projects.Add(new Project { Key = project, Host = "github.com", Owner = marker, Name = "crown-jewels", RepositoryUrl = "https://" + project });
            db.Packages.Add(new Package { Key = $"pkg:npm/{marker}-a", Ecosystem = "npm", Name = $"{marker}-a" });
            db.PackageProjects.Add(new PackageProject { OrganisationId = organisation.Id, PackageKey = $"pkg:npm/{marker}-a", ProjectKey = project, Source = MappingSource.Sbom, ResolvedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var scope = app.Services.CreateAsyncScope();
        var access = new OrgAccess(organisation, OrganisationRole.Owner, userId, null, ApiTokenScopes.None);
        var budget = new Money(123_456, Currency.USD);
        var policy = new StoredPolicy(Currency.USD, budget, PolicySettings.Default with { ExcludeList = [$"github.com/{marker}/excluded"] });
        await scope.ServiceProvider.GetRequiredService<PolicyStore>().SaveAsync(organisation.Id, policy, userId);
        var basis = await scope.ServiceProvider.GetRequiredService<AllocationBasisReader>().ReadAsync(organisation.Id);
        var allocation = basis.Prepare(policy).Allocate(budget, policy.Settings.ToPolicy(Currency.USD));
        var (id, error) = await scope.ServiceProvider.GetRequiredService<SnapshotService>().SaveAsync(access, $"Plans {marker}", policy, allocation, basis);
        Assert.True(id is not null, error);
        return id.Value;
    }

    /// <summary>What to put in a route parameter: the victim's value for the names the app uses, every id for any other name.</summary>
    public IReadOnlyList<string> ValuesFor(string parameter) => parameter.ToLowerInvariant() switch
    {
        "org" or "organisation" or "organization" or "orgslug" => [Slug],
        "product" or "productslug" => [ProductSlug],
        "productid" => [ProductId.ToString()],
        "id" => [UploadId.ToString(), SnapshotId.ToString()],
        "upload" or "uploadid" or "sbom" or "sbomid" => [UploadId.ToString()],
        "snapshot" or "snapshotid" => [SnapshotId.ToString()],
        "token" or "tokenid" => [TokenId.ToString()],
        "user" or "userid" or "member" or "memberid" => [UserId],
        "organisationid" or "organizationid" or "orgid" => [OrganisationId.ToString()],
        "key" or "project" or "projectkey" => [ProjectKey],
        "pledge" or "pledgeid" => [PledgeId.ToString()],
        "payment" or "paymentid" or "receipt" => [PaymentId.ToString()],
        "year" => [DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        _ => [UploadId.ToString(), ProductId.ToString(), OrganisationId.ToString(), TokenId.ToString(), SnapshotId.ToString(), UserId, Slug, ProductSlug, PledgeId.ToString(), PaymentId.ToString()],
    };

    /// <summary>Everything an outsider might try to change, in one comparable string.</summary>
    public Task<string> SnapshotAsync(SustainAppFactory app) => app.QueryAsync(async db =>
    {
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == OrganisationId);
        var products = await db.Products.Where(p => p.OrganisationId == OrganisationId).OrderBy(p => p.Slug).Select(p => p.Slug + ":" + p.Name + ":" + p.CurrentUploadId).ToListAsync();
        var uploads = await db.SbomUploads.CountAsync(u => u.OrganisationId == OrganisationId);
        var components = await db.SbomComponents.CountAsync(c => db.SbomUploads.Any(u => u.Id == c.UploadId && u.OrganisationId == OrganisationId));
        var members = await db.Memberships.Where(m => m.OrganisationId == OrganisationId).OrderBy(m => m.UserId).Select(m => m.UserId + ":" + m.Role).ToListAsync();
        var tokens = await db.ApiTokens.Where(t => t.OrganisationId == OrganisationId).Select(t => t.Name + ":" + t.Scopes + ":" + (t.RevokedAt == null)).ToListAsync();
        var invitations = await db.Invitations.CountAsync(i => i.OrganisationId == OrganisationId);
        var policy = await db.OrganisationPolicies.Where(p => p.OrganisationId == OrganisationId).Select(p => p.Currency + p.BudgetMinor + p.SettingsJson).SingleOrDefaultAsync();
        var snapshots = await db.AllocationSnapshots.Where(s => s.OrganisationId == OrganisationId).Select(s => s.Id + ":" + s.BudgetMinor + ":" + s.Shares.Count).ToListAsync();
        var pledges = await db.Pledges.Where(p => p.OrganisationId == OrganisationId).OrderBy(p => p.Id).Select(p => p.Id + ":" + p.Status + ":" + p.AmountMinor).ToListAsync();
        var ledger = await db.LedgerPostings.Where(p => p.OrganisationId == OrganisationId).SelectMany(p => p.Lines).CountAsync();
        return string.Join(" | ", organisation.Slug, organisation.Name, organisation.Description, organisation.DeveloperHeadcount, organisation.LeaderboardOptIn,
            string.Join(",", products), uploads, components, string.Join(",", members), string.Join(",", tokens), invitations, policy, string.Join(",", snapshots), string.Join(",", pledges), ledger);
    });

    /// <summary>A paid pledge of an allocation named after the marker, paid through the simulated gateway (the test app has no Stripe key).</summary>
    private static async Task<(Guid Pledge, Guid Payment, string Receipt)> PaidPledgeAsync(SustainAppFactory app, Guid organisationId, string marker)
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(app, organisationId, "USD", ($"github.com/{marker}/secret-project", 100_000), ("github.com/a/shared", 50_000));
        await app.QueryAsync(db => db.AllocationSnapshots.Where(s => s.Id == snapshot.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Label, $"Budget {marker}")));
        var pledge = await PledgeTestKit.CreatePledgeAsync(app, snapshot, PledgeFrequency.OneOff, gateway: SimulatedGateway.GatewayName);
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SimulatedCheckout>().PayAsync(pledge);
        var payment = await app.QueryAsync(db => db.PledgePayments.SingleAsync(p => p.PledgeId == pledge.Id));
        return (pledge.Id, payment.Id, payment.ReceiptNumber!);
    }
}
