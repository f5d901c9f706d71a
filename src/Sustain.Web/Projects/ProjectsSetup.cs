using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Sustain.Web.GitHub;
using Sustain.Web.Jobs;

namespace Sustain.Web.Projects;

public static class ProjectsSetup
{
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EcosystemsOptions>().BindConfiguration(EcosystemsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ResolutionLocks>();
        builder.Services.AddOptions<ProjectsOptions>().BindConfiguration(ProjectsOptions.Section)
            .Validate(o => o.SignalsCacheFor > TimeSpan.Zero && o.FailedSignalsRetryAfter > TimeSpan.Zero, "Projects:SignalsCacheFor and Projects:FailedSignalsRetryAfter are positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<GitHubCallOptions>().BindConfiguration(GitHubCallOptions.Section)
            .Validate(o => o.MaxConcurrency is >= 1 and <= 64 && o.MaxRetries is >= 0 and <= 10 && o.RetryDelay >= TimeSpan.Zero, "GitHub:Calls:MaxConcurrency is 1 to 64, MaxRetries 0 to 10, RetryDelay not negative.")
            .ValidateOnStart();
        builder.Services.AddScoped<ProjectResolver>();
        builder.Services.AddScoped<ProjectCatalogue>();
        builder.Services.AddScoped<ProjectInsights>();
        builder.Services.AddScoped<ProjectEnricher>();
        builder.Services.AddScoped<DemoSignals>();
        builder.Services.AddSingleton<GitHubRateGate>();
        builder.Services.AddSingleton<RepositorySignalsReader>();
        builder.Services.AddSingleton<ProjectJobs>();
        builder.Services.AddJob<ResolveProjectsJob, ResolveProjects>(ProjectJobs.Resolve);
        builder.Services.AddJob<EnrichProjectsJob, EnrichProjects>(ProjectJobs.Enrich, maxAttempts: 3);
        var sweepAt = builder.Configuration.GetSection(ProjectsOptions.Section).GetValue<TimeOnly?>(nameof(ProjectsOptions.SweepAtUtc)) ?? new ProjectsOptions().SweepAtUtc;
        builder.Services.AddRecurringJob<EnrichSweepJob>(ProjectJobs.Sweep, RecurringSchedule.Daily(sweepAt), maxAttempts: 2);

        builder.Services.AddHttpClient<EcosystemsClient>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<EcosystemsOptions>>().Value;
                var address = options.BaseAddress.ToString();
                http.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
                http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent(options));
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                http.MaxResponseContentBufferSize = 8 * 1024 * 1024;
                // The resilience pipeline's timeouts decide; HttpClient's own would cut retries short.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider services) =>
            {
                var options = services.GetRequiredService<IOptions<EcosystemsOptions>>().Value;
                resilience.RateLimiter.DefaultRateLimiterOptions.PermitLimit = options.MaxConcurrency;
                resilience.RateLimiter.DefaultRateLimiterOptions.QueueLimit = 100_000;
                resilience.Retry.MaxRetryAttempts = options.MaxRetries;
                resilience.Retry.Delay = options.RetryDelay;
                resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.Retry.ShouldRetryAfterHeader = true;
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
            });
        return builder;
    }

    private static string UserAgent(EcosystemsOptions options)
    {
        var version = typeof(ProjectsSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";
        var contact = string.IsNullOrWhiteSpace(options.Contact) ? "" : $"; +{options.Contact.Trim()}";
        return $"Sustain/{version} (package to project resolution{contact})";
    }
}
