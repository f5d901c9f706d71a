using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Jobs;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;
using Sustain.Web.Demo;
using Sustain.Web.Jobs;
using Sustain.Web.Organisations;
using Sustain.Web.Projects;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Projects;

/// <summary>The app as a first-time user runs it without network: the demo shows signals, and enrichment stops once, politely.</summary>
public sealed class OfflineProjectsTests : IDisposable
{
    private readonly SustainAppFactory _app = new() { Settings = { ["Demo:Seed"] = "true", ["Jobs:Enabled"] = "false" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Without_GitHub_the_enrichment_job_ends_once_saying_GitHub_could_not_be_reached_and_the_demo_keeps_its_sample_signals()
    {
        var jobs = await RunDueJobsAsync();

        // The demo uploads two SBOMs, so up to two resolutions each ask for an enrichment.
        var enrichments = jobs.Where(j => j.Kind == ProjectJobs.Enrich).ToList();
        Assert.NotEmpty(enrichments);
        Assert.All(enrichments, enrich =>
        {
            Assert.Equal(JobState.Succeeded, enrich.State);
            Assert.Equal(1, enrich.Attempts);
            Assert.Contains("GitHub could not be reached", enrich.ProgressMessage, StringComparison.Ordinal);
        });
        Assert.All(jobs.Where(j => j.Kind == ProjectJobs.Resolve), j => Assert.Equal(JobState.Succeeded, j.State));
        var demo = await _app.QueryAsync(db => db.ProjectSignals.CountAsync(s => s.Status == SignalsStatus.Demo));
        Assert.True(demo >= 30, $"{demo} demo signals");
    }

    [Fact]
    public async Task The_demo_organisations_riskiest_dependencies_come_with_reasons_from_the_sample_signals()
    {
        await RunDueJobsAsync();
        var organisation = await _app.QueryAsync(db => db.Organisations.AsNoTracking().SingleAsync(o => o.Slug == DemoData.OrganisationSlug));
        var access = new OrgAccess(organisation, OrganisationRole.Owner, "demo", null, ApiTokenScopes.None);
        await using var scope = _app.Services.CreateAsyncScope();
        var insights = scope.ServiceProvider.GetRequiredService<ProjectInsights>();

        var risks = await insights.RisksAsync(access);
        var envify = await insights.DetailAsync(access, "github.com/zertosh/loose-envify");

        Assert.True(risks.HasDemoSignals);
        Assert.True(risks.Rows.Count >= 30, $"{risks.Rows.Count} rows");
        Assert.NotEmpty(risks.Rows[0].Risk.Reasons);
        Assert.True(risks.Rows[0].Exposure >= risks.Rows[^1].Exposure);
        Assert.Contains(risks.Rows, r => r.CompanyOwned && r.Key == "github.com/facebook/react");
        Assert.NotNull(envify);
        Assert.Equal(SignalsStatus.Demo, envify.Signals!.Status);
        Assert.Contains(envify.Risk.Reasons, r => r.Kind == Sustain.Core.Projects.RiskKind.SingleMaintainer);
        Assert.Contains(envify.Uses, u => u.ProductName == "Storefront" && !u.Direct);
    }

    private async Task<List<Job>> RunDueJobsAsync()
    {
        _ = _app.Server;
        var runner = _app.Services.GetRequiredService<JobRunner>();
        var ran = new List<Guid>();
        while (await runner.ClaimAsync(4) is { Count: > 0 } claimed)
        {
            await Task.WhenAll(claimed.Select(job => runner.RunAsync(job, CancellationToken.None)));
            ran.AddRange(claimed.Select(j => j.Id));
        }

        return await _app.QueryAsync(db => db.Jobs.AsNoTracking().Where(j => ran.Contains(j.Id)).ToListAsync());
    }
}
