using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Sustain.Web.Projects;

public static class ProjectsSetup
{
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EcosystemsOptions>().BindConfiguration(EcosystemsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ResolutionLocks>();
        builder.Services.AddSingleton<ResolutionRuns>();
        builder.Services.AddScoped<ProjectResolver>();
        builder.Services.AddScoped<ProjectCatalogue>();

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
