using System.Security.Claims;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Sustain.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Jobs;
using Sustain.Web.Jobs;
using Sustain.Web.Tests.Components;

namespace Sustain.Web.Tests.Jobs;

/// <summary>The progress bar and the dashboard's buttons, rendered with bUnit over a SQLite file.</summary>
public sealed class JobComponentTests : BunitTest
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sustain-job-progress-").FullName;
    private readonly PooledDbContextFactory<SustainDbContext> _databases;

    public JobComponentTests()
    {
        // A database file of its own: the bar polls from another thread while the test writes, which one shared in-memory connection cannot take.
        var options = new DbContextOptionsBuilder<SustainDbContext>();
        options.UseSustainDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_folder, "jobs.db")}");
        _databases = new PooledDbContextFactory<SustainDbContext>(options.Options);
        using (var db = _databases.CreateDbContext())
            db.Database.Migrate();
        Services.AddSingleton<IDbContextFactory<SustainDbContext>>(_databases);
        Services.AddJobRunner();
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
    }

    [Fact]
    public void Shows_the_handlers_message_and_the_share_done()
    {
        var bar = Render<JobProgressBar>(p => p.Add(b => b.Snapshot, Snapshot(JobState.Running, 600, 1000, "Resolving 1,234 packages")));

        Assert.Equal("Resolving 1,234 packages — 60%", bar.Find("[data-testid=job-progress-label]").TextContent.Trim());
    }

    [Fact]
    public void Shows_why_a_dead_job_stopped()
    {
        var bar = Render<JobProgressBar>(p => p.Add(b => b.Snapshot, Snapshot(JobState.Dead, 3, 10, "Resolving", error: "TimeoutException: the registry did not answer")));

        Assert.Equal("Stopped: TimeoutException: the registry did not answer", bar.Find("[data-testid=job-progress-label]").TextContent.Trim());
    }

    [Fact]
    public void Leaves_a_dead_jobs_error_out_where_the_error_shows_beside_the_bar()
    {
        var bar = Render<JobProgressBar>(p => p
            .Add(b => b.Snapshot, Snapshot(JobState.Dead, 3, 10, "Resolving", error: "TimeoutException: the registry did not answer"))
            .Add(b => b.ShowError, false));

        Assert.Equal("Stopped after 1 of 5 attempts", bar.Find("[data-testid=job-progress-label]").TextContent.Trim());
    }

    [Fact]
    public async Task An_operator_retries_a_dead_job_and_cancels_a_queued_one_from_the_dashboard()
    {
        AddAuthorization().SetAuthorized("ops@example.test").SetRoles(Operators.Role);
        var dead = await AddJobAsync(JobState.Dead, 0, 0, "");
        var queued = await AddJobAsync(JobState.Queued, 0, 0, "");
        var dashboard = Render<Sustain.Web.Jobs.Pages.JobsDashboard>();

        dashboard.Find($"[data-job-id='{dead.Id}'] [data-testid=job-retry]").Click();
        dashboard.Find($"[data-job-id='{queued.Id}'] [data-testid=job-cancel]").Click();

        await using var db = await _databases.CreateDbContextAsync();
        var retried = await db.Jobs.SingleAsync(j => j.Id == dead.Id);
        Assert.Equal(JobState.Queued, retried.State);
        Assert.Equal(0, retried.Attempts);
        var cancelled = await db.Jobs.SingleAsync(j => j.Id == queued.Id);
        Assert.Equal(JobState.Dead, cancelled.State);
        Assert.Equal("Cancelled by operator ops@example.test.", cancelled.LastError);
        dashboard.WaitForAssertion(() => Assert.Equal("1", dashboard.Find("[data-testid=jobs-count-Dead] .stat-value").TextContent.Trim()));
    }

    [Fact]
    public void The_dashboard_shows_nothing_to_a_user_without_the_operator_role()
    {
        AddAuthorization().SetAuthorized("dev@example.test");

        var dashboard = Render<Sustain.Web.Jobs.Pages.JobsDashboard>();

        Assert.DoesNotContain("Background jobs", dashboard.Markup, StringComparison.Ordinal);
        Assert.Empty(dashboard.FindAll("[data-testid=jobs-table]"));
    }

    [Fact]
    public async Task Follows_a_job_until_it_finishes()
    {
        var job = await AddJobAsync(JobState.Running, 1, 4, "Reading the SBOM");
        JobSnapshot? finished = null;

        var bar = Render<JobProgressBar>(p => p
            .Add(b => b.JobId, job.Id)
            .Add(b => b.Interval, TimeSpan.FromMilliseconds(20))
            .Add(b => b.Finished, s => finished = s));
        Assert.Equal("Reading the SBOM — 25%", bar.Find("[data-testid=job-progress-label]").TextContent.Trim());

        await UpdateAsync(job.Id, JobState.Running, 3, "Resolving packages");
        bar.WaitForAssertion(() => Assert.Equal("Resolving packages — 75%", bar.Find("[data-testid=job-progress-label]").TextContent.Trim()), TimeSpan.FromSeconds(10));

        await UpdateAsync(job.Id, JobState.Succeeded, 4, "Resolved 4 packages");
        bar.WaitForAssertion(
            () =>
            {
                Assert.Equal("Resolved 4 packages — 100%", bar.Find("[data-testid=job-progress-label]").TextContent.Trim());
                Assert.Equal(JobState.Succeeded, finished?.State);
            },
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Says_so_when_the_job_does_not_exist()
    {
        var bar = Render<JobProgressBar>(p => p.Add(b => b.JobId, Guid.NewGuid()));

        Assert.Equal("This job no longer exists.", bar.Find("[data-testid=job-progress-label]").TextContent.Trim());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
            return;
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "jobs.db")}"))
            SqliteConnection.ClearPool(connection);
        Directory.Delete(_folder, recursive: true);
    }

    private static JobSnapshot Snapshot(JobState state, long done, long total, string message, string? error = null) =>
        new(Guid.NewGuid(), "packages.resolve", "k", state, 1, 5, done, total, message, error, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null);

    private async Task<Job> AddJobAsync(JobState state, long done, long total, string message)
    {
        await using var db = await _databases.CreateDbContextAsync();
        var job = new Job { Kind = "packages.resolve", IdempotencyKey = Guid.NewGuid().ToString("N"), Payload = "{}", State = state, MaxAttempts = 5, ProgressDone = done, ProgressTotal = total, ProgressMessage = message };
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }

    private async Task UpdateAsync(Guid id, JobState state, long done, string message)
    {
        await using var db = await _databases.CreateDbContextAsync();
        var job = await db.Jobs.FindAsync(id);
        job!.State = state;
        job.ProgressDone = done;
        job.ProgressMessage = message;
        await db.SaveChangesAsync();
    }
}

public sealed class OperatorRoleTests
{
    [Theory]
    [InlineData("ops@example.test", true)]
    [InlineData("OPS@Example.Test", true)]
    [InlineData("other@example.test", false)]
    public async Task A_signed_in_user_listed_in_the_setting_is_an_operator(string email, bool expected)
    {
        var operators = Operators(new() { ["Operators:Emails"] = "lead@example.test; ops@example.test" });

        var principal = await new OperatorRoleClaims(operators).TransformAsync(SignedIn(email));

        Assert.Equal(expected, principal.IsInRole(Web.Jobs.Operators.Role));
    }

    [Fact]
    public async Task The_setting_may_be_a_list()
    {
        var operators = Operators(new() { ["Operators:Emails:0"] = "lead@example.test", ["Operators:Emails:1"] = "ops@example.test" });

        var principal = await new OperatorRoleClaims(operators).TransformAsync(SignedIn("ops@example.test"));

        Assert.True(principal.IsInRole(Web.Jobs.Operators.Role));
    }

    [Fact]
    public async Task An_anonymous_caller_claiming_a_listed_email_is_not_an_operator()
    {
        var operators = Operators(new() { ["Operators:Emails"] = "ops@example.test" });
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Email, "ops@example.test")]));

        var principal = await new OperatorRoleClaims(operators).TransformAsync(anonymous);

        Assert.False(principal.IsInRole(Web.Jobs.Operators.Role));
    }

    private static Operators Operators(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private static ClaimsPrincipal SignedIn(string email) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Email, email), new Claim(ClaimTypes.Name, email)], "Identity.Application"));
}
