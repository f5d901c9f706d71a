using System.Text.Json;

namespace Sustain.Web.Jobs;

/// <summary>A registered kind of job: its name, its payload type, and how to hand a stored payload to its handler.</summary>
public sealed record JobKind(string Name, Type PayloadType, int? MaxAttempts, Func<IServiceProvider, string, JobContext, Task> Run);

/// <summary>A registered recurring job: the kind it enqueues, and when.</summary>
public sealed record RecurringJob(string Name, RecurringSchedule Schedule)
{
    public string KeyFor(DateTimeOffset occurrence) => $"{Name}:{occurrence.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z";
}

/// <summary>Every kind this instance can run, by name.</summary>
public sealed class JobKinds
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, JobKind> _kinds = new(StringComparer.Ordinal);

    public JobKinds(IEnumerable<JobKind> kinds, IEnumerable<RecurringJob> recurring)
    {
        foreach (var kind in kinds)
        {
            if (!_kinds.TryAdd(kind.Name, kind))
                throw new InvalidOperationException($"The job kind \"{kind.Name}\" is registered twice.");
        }

        Recurring = [.. recurring];
        Names = [.. _kinds.Keys];
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<RecurringJob> Recurring { get; }

    public JobKind? Find(string name) => _kinds.GetValueOrDefault(name);

    public JobKind Get(string name) =>
        Find(name) ?? throw new ArgumentException($"No handler is registered for the job kind \"{name}\"; add it with services.AddJob<THandler, TPayload>(\"{name}\").", nameof(name));
}
