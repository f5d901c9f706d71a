using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sustain.Data.Jobs;
using Sustain.Web.Jobs;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Jobs;

/// <summary>The operator dashboard as a browser gets it (prerendered): operators see the jobs, everyone else a 404.</summary>
public sealed class JobsDashboardTests : IDisposable
{
    private const string OperatorEmail = "ops@example.test";

    private SustainAppFactory App { get; } = new()
    {
        Settings =
        {
            ["Operators:Emails"] = $"someone-else@example.test, {OperatorEmail}",
            ["Jobs:Enabled"] = "false",
        },
    };

    public void Dispose() => App.Dispose();

    [Fact]
    public async Task An_anonymous_visitor_gets_the_not_found_page()
    {
        using var browser = App.CreateBrowser();

        using var response = await browser.GetAsync(new Uri("/ops/jobs", UriKind.Relative));

        await response.AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.Contains("Nothing here", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_user_who_is_not_an_operator_gets_the_not_found_page()
    {
        await AddJobAsync("sboms.process", JobState.Dead, "boom");
        var (_, browser, _) = await App.SignedInUserAsync(email: "dev@example.test");

        using var response = await browser.GetAsync(new Uri("/ops/jobs", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        await response.AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("sboms.process", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Background jobs", html, StringComparison.Ordinal);
        browser.Dispose();
    }

    [Fact]
    public async Task An_operator_sees_counts_per_state_and_the_recent_jobs()
    {
        await AddJobAsync("sboms.process", JobState.Dead, "HttpRequestException: the registry answered 503");
        await AddJobAsync("packages.resolve", JobState.Running, progress: (600, 1000, "Resolving 1,234 packages"));
        await AddJobAsync("reports.monthly", JobState.Queued);
        await AddJobAsync("reports.monthly", JobState.Succeeded);
        var (_, browser, _) = await App.SignedInUserAsync(email: OperatorEmail);

        using var response = await browser.GetAsync(new Uri("/ops/jobs", UriKind.Relative));
        var page = Forms.Parse(await response.Content.ReadAsStringAsync());

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("1", page.QuerySelector("[data-testid=jobs-count-Dead] .stat-value")!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("[data-testid=jobs-count-Running] .stat-value")!.TextContent.Trim());
        Assert.Equal("0", page.QuerySelector("[data-testid=jobs-count-Failed] .stat-value")!.TextContent.Trim());
        var rows = page.QuerySelectorAll("[data-testid=job-row]");
        Assert.Equal(4, rows.Length);
        var dead = rows.Single(r => r.QuerySelector("[data-testid=job-kind]")!.TextContent == "sboms.process");
        Assert.Equal("Dead", dead.QuerySelector("[data-testid=job-state]")!.TextContent.Trim());
        Assert.Contains("the registry answered 503", dead.QuerySelector("[data-testid=job-error]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(dead.QuerySelector("[data-testid=job-retry]"));
        var running = rows.Single(r => r.QuerySelector("[data-testid=job-kind]")!.TextContent == "packages.resolve");
        Assert.Equal("Resolving 1,234 packages — 60%", running.QuerySelector("[data-testid=job-progress-label]")!.TextContent.Trim());
        Assert.Null(running.QuerySelector("[data-testid=job-retry]"));
        Assert.Null(running.QuerySelector("[data-testid=job-cancel]"));
        var queued = rows.Single(r => r.QuerySelector("[data-testid=job-state]")!.TextContent.Trim() == "Queued");
        Assert.NotNull(queued.QuerySelector("[data-testid=job-cancel]"));
        browser.Dispose();
    }

    [Fact]
    public async Task An_operator_with_no_jobs_sees_an_empty_state()
    {
        var (_, browser, _) = await App.SignedInUserAsync(email: OperatorEmail);

        var html = await browser.GetStringAsync(new Uri("/ops/jobs", UriKind.Relative));

        Assert.Contains("data-testid=\"jobs-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("No jobs yet", html, StringComparison.Ordinal);
        browser.Dispose();
    }

    [Fact]
    public async Task With_jobs_disabled_the_app_starts_no_worker_loop()
    {
        var worker = App.Services.GetServices<IHostedService>().OfType<JobWorker>().Single();

        // The host starts ExecuteAsync on the thread pool; a disabled worker returns from it at once, a running one never would.
        Assert.NotNull(worker.ExecuteTask);
        await worker.ExecuteTask.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(worker.ExecuteTask.IsCompletedSuccessfully);
    }

    private Task<int> AddJobAsync(string kind, JobState state, string? error = null, (long Done, long Total, string Message)? progress = null) =>
        App.QueryAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            db.Jobs.Add(new Job
            {
                Kind = kind,
                IdempotencyKey = Guid.NewGuid().ToString("N"),
                Payload = "{}",
                State = state,
                Attempts = state == JobState.Queued ? 0 : 1,
                MaxAttempts = 5,
                NextRunAt = now,
                CreatedAt = now,
                LastError = error,
                LeaseOwner = state == JobState.Running ? "web-1:42:abcd" : null,
                LeaseExpiresAt = state == JobState.Running ? now.AddMinutes(2) : null,
                ProgressDone = progress?.Done ?? 0,
                ProgressTotal = progress?.Total ?? 0,
                ProgressMessage = progress?.Message,
            });
            return await db.SaveChangesAsync();
        });
}

/// <summary>The runner as the app wires it: <c>builder.AddJobs()</c> starts a worker that runs what the app enqueues.</summary>
public sealed class JobsInTheAppTests : IDisposable
{
    private readonly SustainAppFactory _app = new() { Settings = { ["Jobs:Enabled"] = "true", ["Jobs:PollInterval"] = "00:00:00.050" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_app_runs_an_enqueued_job_with_its_registered_handler()
    {
        var app = _app.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddJob<EchoHandler, EchoPayload>(EchoHandler.Kind)));
        var queue = app.Services.GetRequiredService<JobQueue>();
        var progress = app.Services.GetRequiredService<JobProgress>();

        var job = await queue.EnqueueAsync(EchoHandler.Kind, new EchoPayload("hello"));
        await Eventually.HoldsAsync(async () => (await progress.GetAsync(job.Id))?.State == JobState.Succeeded, "the app's worker has run the job");

        var done = await progress.GetAsync(job.Id);
        Assert.Equal("Echoed hello — 100%", done!.Describe(DateTimeOffset.UtcNow));
        await app.DisposeAsync();
    }

    public sealed record EchoPayload(string Text);

    public sealed class EchoHandler : IJobHandler<EchoPayload>
    {
        public const string Kind = "test.echo";

        public Task RunAsync(EchoPayload payload, JobContext context) => context.ReportProgressAsync(1, 1, $"Echoed {payload.Text}");
    }
}
