using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;
using Sustain.Data.Sboms;
using Sustain.Web.Allocations;
using Sustain.Web.Allocations.Pages;
using Sustain.Web.GitHub;
using Sustain.Web.Identity;
using Sustain.Web.Sboms;
using Sustain.Web.Tests.Components;

namespace Sustain.Web.Tests.Allocations;

/// <summary>
/// The what-if page interactively: a budget typed in recomputes the split, a bad one says what is wrong
/// and blocks saving, and an owner's "Save as snapshot" stores exactly what is shown. The product is a
/// root with three direct dependencies, each its own project, so every share is a third.
/// </summary>
public sealed class SuggestPageTests : BunitTest
{
    private readonly string _userId;

    public SuggestPageTests()
    {
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<AllocationBasisReader>();
        Services.AddSingleton<PolicyStore>();
        Services.AddSingleton<SnapshotService>();
        Services.AddMemoryCache();
        // GitHub is never asked here: progress is read only when the button is pressed. The address is a closed port regardless.
        Services.AddSingleton(new GitHubClients(Options.Create(new GitHubOptions { ApiBaseAddress = new Uri("http://127.0.0.1:9/") })));
        Services.AddSingleton<ContributionProgressReader>();
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));

        using var db = NewDbContext();
        var user = new SustainUser { UserName = "fin@example.test", Email = "fin@example.test" };
        db.Users.Add(user);
        db.SaveChanges();
        _userId = user.Id;
        AddAuthorization().SetAuthorized("fin@example.test").SetClaims(new Claim(ClaimTypes.NameIdentifier, _userId));
    }

    private async Task<Organisation> OrganisationAsync(OrganisationRole role)
    {
        await using var db = NewDbContext();
        var organisation = new Organisation { Name = "Finance Ltd", Slug = "finance", DeveloperHeadcount = 3 };
        organisation.Members.Add(new Membership { UserId = _userId, Role = role });
        var product = new Product { Slug = "shop", Name = "Shop" };
        organisation.Products.Add(product);
        db.Organisations.Add(organisation);
        var upload = new SbomUpload
        {
            ProductId = product.Id, OrganisationId = organisation.Id, Sha256 = "00", State = SbomUploadState.Ready, ComponentCount = 4,
            EdgesCompressed = SbomIngestion.CompressEdges([.. new[] { 1, 2, 3 }.Select(to => new Core.Sboms.SbomEdge(0, to, Core.Sboms.DependencyKind.DependsOn))]),
        };
        db.SbomUploads.Add(upload);
        product.CurrentUploadId = upload.Id;
        db.SbomComponents.Add(new SbomComponentRow { UploadId = upload.Id, Index = 0, Ref = "app", Name = "app", IsRoot = true, Parent = -1, SearchText = "app" });
        foreach (var i in new[] { 1, 2, 3 })
        {
            var key = $"pkg:npm/lib{i}";
            db.SbomComponents.Add(new SbomComponentRow { UploadId = upload.Id, Index = i, Ref = key, Name = $"lib{i}", PackageKey = key, Depth = 1, Parent = 0, SearchText = key });
            db.Packages.Add(new Package { Key = key, Ecosystem = "npm", Name = $"lib{i}" });
            db.Projects.Add(new Project { Key = $"github.com/o/lib{i}", Host = "github.com", Owner = "o", Name = $"lib{i}", RepositoryUrl = $"https://github.com/o/lib{i}" });
            db.PackageProjects.Add(new PackageProject { OrganisationId = organisation.Id, PackageKey = key, ProjectKey = $"github.com/o/lib{i}" });
        }

        await db.SaveChangesAsync();
        return organisation;
    }

    [Fact]
    public async Task Starts_from_the_suggested_budget_and_follows_a_typed_budget()
    {
        await OrganisationAsync(OrganisationRole.Owner);

        var page = Render<SuggestPage>(p => p.Add(x => x.Org, "finance"));
        page.WaitForAssertion(() => Assert.Contains("USD 6,000.00", page.Find("[data-testid=whatif-summary]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(["USD 2,000.00", "USD 2,000.00", "USD 2,000.00"], page.FindAll("[data-testid=share-amount]").Select(e => e.TextContent));

        page.Find("input[data-testid=whatif-budget]").Input("900.01");

        page.WaitForAssertion(() => Assert.Contains("USD 900.01", page.Find("[data-testid=whatif-summary]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(["USD 300.01", "USD 300.00", "USD 300.00"], page.FindAll("[data-testid=share-amount]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task A_budget_with_too_many_decimals_says_so_and_cannot_be_saved()
    {
        await OrganisationAsync(OrganisationRole.Owner);
        var page = Render<SuggestPage>(p => p.Add(x => x.Org, "finance"));
        page.WaitForElement("[data-testid=whatif-summary]", TimeSpan.FromSeconds(10));

        page.Find("input[data-testid=whatif-budget]").Input("12.345");

        page.WaitForAssertion(() => Assert.Contains("'12.345' has 3 decimal places, but USD has 2", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.True(page.Find("button[data-testid=save-snapshot]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task An_owner_saves_what_is_shown_as_a_snapshot()
    {
        var organisation = await OrganisationAsync(OrganisationRole.Owner);
        var page = Render<SuggestPage>(p => p.Add(x => x.Org, "finance"));
        page.WaitForElement("[data-testid=whatif-summary]", TimeSpan.FromSeconds(10));
        page.Find("input[data-testid=whatif-budget]").Input("100");
        page.WaitForAssertion(() => Assert.Contains("USD 100.00", page.Find("[data-testid=whatif-summary]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        page.Find("input[data-testid=snapshot-label]").Change("Q3 top-up");
        await page.Find("button[data-testid=save-snapshot]").ClickAsync(new());

        page.WaitForElement("[data-testid=snapshot-saved]", TimeSpan.FromSeconds(10));
        await using var db = NewDbContext();
        var snapshot = await db.AllocationSnapshots.Include(s => s.Shares).SingleAsync(s => s.OrganisationId == organisation.Id);
        Assert.Equal(("Q3 top-up", 10_000L, "USD", _userId), (snapshot.Label, snapshot.BudgetMinor, snapshot.Currency, snapshot.CreatedByUserId));
        Assert.Equal([3334L, 3333L, 3333L], snapshot.Shares.OrderBy(s => s.ProjectKey, StringComparer.Ordinal).Select(s => s.AmountMinor));
        Assert.All(snapshot.Shares, s => Assert.Contains("\"products\":[\"Shop\"]", s.ReasonsJson, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_can_try_settings_but_not_save_them()
    {
        await OrganisationAsync(OrganisationRole.Member);

        var page = Render<SuggestPage>(p => p.Add(x => x.Org, "finance"));

        page.WaitForElement("[data-testid=whatif-summary]", TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid=save-snapshot]"));
        Assert.Empty(page.FindAll("[data-testid=save-policy]"));
        Assert.Contains("Only owners and admins can save", page.Markup, StringComparison.Ordinal);
    }
}
