using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core;
using Sustain.Data.Organisations;
using Sustain.Web.Allocations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Allocations;

/// <summary>Snapshots through the API: the JSON read, the allocation CSV (exact to the minor unit, JPY too) and the GitHub Sponsors file.</summary>
public sealed class SnapshotApiTests(SustainAppFactory app) : IClassFixture<SustainAppFactory>
{
    [Fact]
    public async Task Allocation_csv_sums_exactly_to_the_budget_in_minor_units()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("1000.01", Currency.USD));

        using var response = await scenario.Browser.GetAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}/allocation.csv");
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = ParseCsv(await response.Content.ReadAsStringAsync());

        Assert.Equal(["project", "amount", "amount_minor", "currency", "percent", "status", "reasons"], rows[0]);
        var shares = rows.Skip(1).ToList();
        Assert.Equal(100_001, shares.Sum(r => long.Parse(r[2], CultureInfo.InvariantCulture)));
        Assert.Equal(["333.34", "333.34", "333.33"], shares.Select(r => r[1]));
        Assert.Equal([scenario.ProjectA, scenario.ProjectB, scenario.ProjectC], shares.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.All(shares, r => Assert.Equal("USD", r[3]));
        Assert.All(shares, r => Assert.Equal("Funded", r[5]));
        var a = shares.Single(r => r[0] == scenario.ProjectA);
        Assert.Equal("33.33", a[4]);
        Assert.Contains($"packages a-{scenario.Id}", a[6], StringComparison.Ordinal);
        Assert.Contains("used by shop", a[6], StringComparison.Ordinal);
        Assert.Contains($"c-{scenario.Id}", shares.Single(r => r[0] == scenario.ProjectC)[6], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yen_amounts_have_no_decimals_and_still_sum_to_the_budget()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("1000", Currency.JPY));

        var rows = ParseCsv(await scenario.Browser.GetStringAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}/allocation.csv")).Skip(1).ToList();

        Assert.Equal(["334", "333", "333"], rows.Select(r => r[1]));
        Assert.Equal(rows.Select(r => r[1]), rows.Select(r => r[2]));
        Assert.Equal(1000, rows.Sum(r => long.Parse(r[2], CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal("JPY", r[3]));
    }

    [Fact]
    public async Task Money_no_project_may_receive_is_an_unallocated_row_so_the_csv_still_sums_to_the_budget()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var basis = await scope.ServiceProvider.GetRequiredService<AllocationBasisReader>().ReadAsync(scenario.Organisation.Id);
        var budget = Money.Parse("100.00", Currency.USD);
        var policy = new StoredPolicy(Currency.USD, budget, PolicySettings.Default with { Maximum = new LimitSetting(2000, null) });
        var allocation = basis.Prepare(policy).Allocate(budget, policy.Settings.ToPolicy(Currency.USD));
        var (id, _) = await scope.ServiceProvider.GetRequiredService<SnapshotService>().SaveAsync(scenario.OwnerAccess, null, policy, allocation, basis);

        var rows = ParseCsv(await scenario.Browser.GetStringAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}/allocation.csv")).Skip(1).ToList();

        var unallocated = rows.Single(r => r[0] == AllocationExports.UnallocatedRow);
        Assert.Equal("40.00", unallocated[1]);
        Assert.Contains("maximum", unallocated[6], StringComparison.Ordinal);
        Assert.All(rows.Where(r => r != unallocated), r => Assert.Equal("Capped", r[5]));
        Assert.Equal(10_000, rows.Sum(r => long.Parse(r[2], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Sponsors_csv_has_the_columns_github_reads_and_one_row_per_declared_sponsors_account()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("1000.01", Currency.USD));

        using var response = await scenario.Browser.GetAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}/sponsors.csv");
        await response.AssertStatusAsync(HttpStatusCode.OK);
        var rows = ParseCsv(await response.Content.ReadAsStringAsync());

        Assert.Equal(["Maintainer username", "Sponsorship amount in USD"], rows[0]);
        // a's registry funding link and b's FUNDING.yml name sponsorable accounts; c declares none, so it is not in the file. Whole dollars.
        Assert.Equal(
            [["alpha-dev", "333"], ["beta-maint", "333"]],
            rows.Skip(1).OrderBy(r => r[0], StringComparer.Ordinal).Select(r => r.ToArray()));
    }

    [Fact]
    public async Task Sponsors_csv_of_a_yen_snapshot_is_refused_with_the_reason()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("1000", Currency.JPY));

        using var response = await scenario.Browser.GetAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}/sponsors.csv");

        var detail = await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("USD", detail, StringComparison.Ordinal);
        Assert.Contains("JPY", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_json_has_the_budget_the_policy_and_every_share_with_its_reasons()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("90.00", Currency.USD), "FY2027");

        var json = await (await scenario.Browser.GetAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}")).JsonAsync();
        var list = await (await scenario.Browser.GetAsync($"/api/v1/orgs/{scenario.Slug}/snapshots")).JsonAsync();

        Assert.Equal("FY2027", json.GetProperty("label").GetString());
        Assert.Equal(9000, json.GetProperty("budgetMinor").GetInt64());
        Assert.Equal(0, json.GetProperty("unallocatedMinor").GetInt64());
        Assert.Equal(0.5, json.GetProperty("policy").GetProperty("alpha").GetDouble());
        var shares = json.GetProperty("shares").EnumerateArray().ToList();
        Assert.Equal(3, shares.Count);
        Assert.All(shares, s => Assert.Equal(3000, s.GetProperty("amountMinor").GetInt64()));
        var c = shares.Single(s => s.GetProperty("project").GetString() == scenario.ProjectC);
        Assert.Equal(["shop-app", $"a-{scenario.Id}", $"c-{scenario.Id}"], c.GetProperty("reasons").GetProperty("path").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(id.ToString(), Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_member_of_another_organisation_and_an_unknown_id_get_404()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("10.00", Currency.USD));
        var (outsider, outsiderBrowser, _) = await app.SignedInUserAsync("Outsider");
        await app.CreateOrganisationAsync(outsider.Id, "Elsewhere");

        foreach (var path in new[] { "", "/allocation.csv", "/sponsors.csv" })
        {
            using var theirs = await outsiderBrowser.GetAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}{path}");
            await theirs.ProblemAsync(HttpStatusCode.NotFound);
            using var unknown = await scenario.Browser.GetAsync($"/api/v1/orgs/{scenario.Slug}/snapshots/{Guid.NewGuid()}{path}");
            await unknown.ProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task A_saved_snapshot_can_be_neither_changed_nor_deleted()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("10.00", Currency.USD));

        var changeShare = await Assert.ThrowsAsync<InvalidOperationException>(() => app.QueryAsync(async db =>
        {
            var share = await db.AllocationSnapshotShares.FirstAsync(s => s.SnapshotId == id);
            share.AmountMinor += 1;
            return await db.SaveChangesAsync();
        }));
        var changeBudget = await Assert.ThrowsAsync<InvalidOperationException>(() => app.QueryAsync(async db =>
        {
            (await db.AllocationSnapshots.SingleAsync(s => s.Id == id)).BudgetMinor = 1;
            return await db.SaveChangesAsync();
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.QueryAsync(async db =>
        {
            db.AllocationSnapshots.Remove(await db.AllocationSnapshots.Include(s => s.Shares).SingleAsync(s => s.Id == id));
            return await db.SaveChangesAsync();
        }));

        Assert.Contains("never changed or deleted", changeShare.Message, StringComparison.Ordinal);
        Assert.Contains("never changed or deleted", changeBudget.Message, StringComparison.Ordinal);
        Assert.Equal(1000, await app.QueryAsync(db => db.AllocationSnapshots.Where(s => s.Id == id).Select(s => s.BudgetMinor).SingleAsync()));
        Assert.Equal(1000, await app.QueryAsync(db => db.AllocationSnapshotShares.Where(s => s.SnapshotId == id).SumAsync(s => s.AmountMinor)));
    }

    [Fact]
    public async Task Only_an_owner_or_admin_saves_a_snapshot_or_the_policy()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var (member, _) = await scenario.MemberAsync(app, OrganisationRole.Member);
        var access = scenario.OwnerAccess with { Role = OrganisationRole.Member, UserId = member.Id };
        await using var scope = app.Services.CreateAsyncScope();
        var basis = await scope.ServiceProvider.GetRequiredService<AllocationBasisReader>().ReadAsync(scenario.Organisation.Id);
        var budget = Money.Parse("10.00", Currency.USD);
        var allocation = basis.Prepare(StoredPolicy.Default).Allocate(budget, PolicySettings.Default.ToPolicy(Currency.USD));

        var (id, error) = await scope.ServiceProvider.GetRequiredService<SnapshotService>().SaveAsync(access, null, StoredPolicy.Default, allocation, basis);
        var errors = await scope.ServiceProvider.GetRequiredService<PolicyStore>().SaveAsync(access, new PolicyForm { Budget = "5" });

        Assert.Null(id);
        Assert.Equal("Only an owner or admin can save a snapshot.", error);
        Assert.Equal("Only an owner or admin can change the allocation policy.", errors[""]);
        Assert.Equal(0, await app.QueryAsync(db => db.AllocationSnapshots.CountAsync(s => s.OrganisationId == scenario.Organisation.Id)));
        Assert.Equal(0, await app.QueryAsync(db => db.OrganisationPolicies.CountAsync(p => p.OrganisationId == scenario.Organisation.Id)));
    }

    [Fact]
    public async Task Packages_that_are_not_projects_are_left_out_with_the_reason_and_get_nothing()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        await using var scope = app.Services.CreateAsyncScope();

        var basis = await scope.ServiceProvider.GetRequiredService<AllocationBasisReader>().ReadAsync(scenario.Organisation.Id);
        var allocation = basis.Prepare(StoredPolicy.Default).Allocate(Money.Parse("10.00", Currency.USD), PolicySettings.Default.ToPolicy(Currency.USD));

        Assert.Equal(2, basis.LeftOutCount);
        Assert.Contains(basis.LeftOut, l => l.Reason.Contains("no package URL", StringComparison.Ordinal) && l.Examples.SequenceEqual([$"vendored-{scenario.Id}"]));
        Assert.Contains(basis.LeftOut, l => l.Reason.Contains("registry does not know", StringComparison.Ordinal) && l.Examples.SequenceEqual([$"e-{scenario.Id}"]));
        Assert.Equal([scenario.ProjectA, scenario.ProjectB, scenario.ProjectC], AllocationBasis.Visible(allocation).Select(s => s.ProjectKey).Order(StringComparer.Ordinal));
        Assert.Equal(1000, allocation.Allocated.Minor);
    }

    /// <summary>RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    (field, i) = (field.Append('"'), i + 1);
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
