using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sustain.Web.Jobs;

public static class JobsSetup
{
    /// <summary>The durable job runner: queue, worker, recurring jobs, the operator role and the <c>/ops/jobs</c> dashboard.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddJobRunner();
        builder.Services.AddHostedService<JobWorker>();
        builder.Services.AddSingleton<Operators>();
        builder.Services.AddTransient<IClaimsTransformation, OperatorRoleClaims>();
        return builder;
    }

    /// <summary>The queue and runner without the hosted worker: what the app and tests that drive runners themselves share.</summary>
    public static IServiceCollection AddJobRunner(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>()
            .BindConfiguration(JobOptions.Section)
            .Validate(o => o.Concurrency >= 1, "Jobs:Concurrency is at least 1.")
            .Validate(o => o.MaxAttempts >= 1, "Jobs:MaxAttempts is at least 1.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.LeaseDuration >= TimeSpan.FromSeconds(1), "Jobs:PollInterval is positive and Jobs:LeaseDuration at least a second.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => JobInstance.Create());
        services.TryAddSingleton<JobKinds>();
        services.TryAddSingleton<JobQueue>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<JobProgress>();
        return services;
    }

    /// <summary>Registers <typeparamref name="THandler"/> (scoped: a fresh one per run) as the handler of <paramref name="kind"/>.</summary>
    /// <param name="maxAttempts">Overrides <c>Jobs:MaxAttempts</c> for this kind.</param>
    public static IServiceCollection AddJob<THandler, TPayload>(this IServiceCollection services, string kind, int? maxAttempts = null)
        where THandler : class, IJobHandler<TPayload>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        services.TryAddScoped<THandler>();
        services.AddSingleton(new JobKind(kind, typeof(TPayload), maxAttempts, static (provider, payload, context) =>
            provider.GetRequiredService<THandler>().RunAsync(
                JsonSerializer.Deserialize<TPayload>(payload, JobKinds.Json) ?? throw new JsonException($"The payload of job {context.JobId} is null."),
                context)));
        return services;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> on <paramref name="schedule"/>. Every instance enqueues the next
    /// occurrence under the key "name:occurrence", so each occurrence runs once across all instances.
    /// </summary>
    public static IServiceCollection AddRecurringJob<THandler>(this IServiceCollection services, string name, RecurringSchedule schedule, int? maxAttempts = null)
        where THandler : class, IJobHandler<RecurringOccurrence>
    {
        services.AddJob<THandler, RecurringOccurrence>(name, maxAttempts);
        services.AddSingleton(new RecurringJob(name, schedule));
        return services;
    }
}
