using System.Collections.Concurrent;

namespace Sustain.Web.Projects;

/// <summary>
/// One resolution per organisation at a time, and one writer of the shared package, project and
/// cache rows at a time, within this process. (Across instances the job runner keeps runs apart.)
/// </summary>
public sealed class ResolutionLocks : IDisposable
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _organisations = new();
    private readonly SemaphoreSlim _shared = new(1, 1);

    public Task<IDisposable> ForOrganisationAsync(Guid organisationId, CancellationToken cancellation) =>
        HoldAsync(_organisations.GetOrAdd(organisationId, _ => new SemaphoreSlim(1, 1)), cancellation);

    public Task<IDisposable> ForSharedRowsAsync(CancellationToken cancellation) => HoldAsync(_shared, cancellation);

    public void Dispose()
    {
        _shared.Dispose();
        foreach (var semaphore in _organisations.Values)
            semaphore.Dispose();
    }

    private static async Task<IDisposable> HoldAsync(SemaphoreSlim semaphore, CancellationToken cancellation)
    {
        await semaphore.WaitAsync(cancellation);
        return new Held(semaphore);
    }

    private sealed class Held(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }
}
