using Sustain.Core.Allocation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Projects;
using Sustain.Web.Allocations;
using Sustain.Web.Demo;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Allocations;

/// <summary>A first visitor's suggest page is populated: the demo organisation's projects come from what its SBOMs say, with a policy and a snapshot.</summary>
public sealed class DemoAllocationTests : IDisposable
{
    // The registry is a closed loopback port: the demo must resolve from its SBOMs alone.
    private readonly SustainAppFactory _app = new() { Settings = { ["Demo:Seed"] = "true", ["Ecosystems:BaseAddress"] = "http://127.0.0.1:9/" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_demo_organisation_has_projects_from_its_sboms_a_policy_and_a_snapshot()
    {
        var organisation = await _app.QueryAsync(db => db.Organisations.SingleAsync(o => o.Slug == DemoData.OrganisationSlug));
        var sources = await _app.QueryAsync(db => db.PackageProjects.Where(m => m.OrganisationId == organisation.Id).Select(m => m.Source).Distinct().ToListAsync());
        var snapshot = await _app.QueryAsync(db => db.AllocationSnapshots.Include(s => s.Shares).SingleAsync(s => s.OrganisationId == organisation.Id));
        await using var scope = _app.Services.CreateAsyncScope();
        var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().ReadAsync(organisation.Id);
        var basis = await scope.ServiceProvider.GetRequiredService<AllocationBasisReader>().ReadAsync(organisation.Id);

        Assert.Equal(120, organisation.DeveloperHeadcount);
        Assert.Equal([MappingSource.Sbom], sources);
        Assert.Equal(0, basis.LeftOutCount);
        Assert.Equal("USD 150,000.00", policy.Budget.ToString());
        Assert.Equal("FY2027 proposal", snapshot.Label);
        Assert.Equal(snapshot.BudgetMinor, snapshot.AllocatedMinor);
        Assert.Equal(snapshot.BudgetMinor, snapshot.Shares.Sum(s => s.AmountMinor));
        Assert.Contains(snapshot.Shares, s => s.ProjectKey == "github.com/lodash/lodash" && s.AmountMinor > 0);
        // facebook is on the list of company organisations, and the policy leaves company-owned projects out.
        Assert.Contains(snapshot.Shares, s => s.ProjectKey == "github.com/facebook/react" && s.AmountMinor == 0 && s.Status == nameof(ShareStatus.Excluded));
        Assert.All(snapshot.Shares, s => Assert.True(s.AmountMinor <= snapshot.BudgetMinor * 12 / 100, $"{s.ProjectKey} is above the 12% maximum"));
    }
}
