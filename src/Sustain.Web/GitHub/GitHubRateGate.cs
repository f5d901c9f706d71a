using System.Globalization;
using System.Net;
using Octokit;

namespace Sustain.Web.GitHub;

/// <summary>How hard to lean on GitHub's REST API, and how to ride out its failures.</summary>
public sealed class GitHubCallOptions
{
    public const string Section = "GitHub:Calls";

    /// <summary>Requests in flight at once, across every job in this instance.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Tries after the first for a transient fault (5xx, a dropped connection, a timeout); each waits twice the one before.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait on a secondary rate limit that gives no Retry-After (GitHub asks for at least a minute).</summary>
    public TimeSpan SecondaryLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Secondary-limit waits in a row before giving up on a call.</summary>
    public int MaxSecondaryWaits { get; set; } = 5;
}

/// <summary>GitHub could not be reached at all (after retries): the caller stops rather than fail every project the same way.</summary>
public sealed class GitHubUnreachableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The one gate every app call to GitHub goes through: it bounds concurrency, pauses everyone until
/// the reset when <c>X-RateLimit-Remaining</c> reaches 0 (or a call is refused for the rate limit),
/// waits out secondary limits (403 or 429 with <c>Retry-After</c>), and retries transient faults
/// with exponential backoff and jitter. While it waits, it says so through the caller's reporter.
/// </summary>
public sealed partial class GitHubRateGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly GitHubCallOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<GitHubRateGate> _logger;
    private readonly Lock _gate = new();
    private DateTimeOffset _resumeAt = DateTimeOffset.MinValue;

    public GitHubRateGate(Microsoft.Extensions.Options.IOptions<GitHubCallOptions> options, TimeProvider clock, ILogger<GitHubRateGate> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency));
    }

    /// <summary>When calls may go again; in the past when they may go now.</summary>
    public DateTimeOffset ResumeAt
    {
        get
        {
            lock (_gate)
                return _resumeAt;
        }
    }

    /// <summary>Runs one GitHub call through the gate. Not found and other client errors are the caller's to handle.</summary>
    /// <param name="waiting">Told, in words, each time the call waits for a limit or a retry.</param>
    public async Task<T> CallAsync<T>(IGitHubClient client, Func<IGitHubClient, Task<T>> call, Func<string, Task>? waiting, CancellationToken cancellation)
    {
        var faults = 0;
        var secondaryWaits = 0;
        while (true)
        {
            await WaitForResumeAsync(waiting, cancellation);
            await _slots.WaitAsync(cancellation);
            TimeSpan? retryIn = null;
            string? why = null;
            try
            {
                var result = await call(client);
                Observe(client.GetLastApiInfo());
                return result;
            }
            catch (RateLimitExceededException e)
            {
                PauseUntil(e.Reset + TimeSpan.FromSeconds(1));
                LogRateLimited(_logger, e.Reset);
            }
            catch (SecondaryRateLimitExceededException e) when (++secondaryWaits <= _options.MaxSecondaryWaits)
            {
                retryIn = RetryAfter(e.HttpResponse) ?? _options.SecondaryLimitWait;
                PauseUntil(_clock.GetUtcNow() + retryIn.Value);
                why = "GitHub's secondary rate limit";
            }
            catch (ApiException e) when (e.StatusCode == HttpStatusCode.TooManyRequests && ++secondaryWaits <= _options.MaxSecondaryWaits)
            {
                retryIn = RetryAfter(e.HttpResponse) ?? _options.SecondaryLimitWait;
                PauseUntil(_clock.GetUtcNow() + retryIn.Value);
                why = "GitHub's secondary rate limit (429)";
            }
            catch (ApiException e) when ((int)e.StatusCode >= 500 && ++faults <= _options.MaxRetries)
            {
                retryIn = Backoff(faults);
                why = $"GitHub answered {(int)e.StatusCode}";
            }
            catch (Exception e) when (IsTransport(e, cancellation))
            {
                if (++faults > _options.MaxRetries)
                    throw new GitHubUnreachableException($"GitHub could not be reached: {e.Message}", e);
                retryIn = Backoff(faults);
                why = "GitHub could not be reached";
            }
            finally
            {
                _slots.Release();
            }

            if (retryIn is { } delay && why is not null)
            {
                if (waiting is not null)
                    await waiting($"{why}; trying again in {Describe(delay)}");
                if (!IsPaused())
                    await Task.Delay(delay, _clock, cancellation);
            }
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>Reads the rate-limit headers of the latest answer: nothing left means nobody calls until the reset.</summary>
    private void Observe(ApiInfo? info)
    {
        if (info?.RateLimit is { Remaining: <= 0 } limit)
        {
            PauseUntil(limit.Reset + TimeSpan.FromSeconds(1));
            LogRateLimited(_logger, limit.Reset);
        }
    }

    private void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (until > _resumeAt)
                _resumeAt = until;
        }
    }

    private bool IsPaused() => ResumeAt > _clock.GetUtcNow();

    private async Task WaitForResumeAsync(Func<string, Task>? waiting, CancellationToken cancellation)
    {
        while (true)
        {
            var resumeAt = ResumeAt;
            var wait = resumeAt - _clock.GetUtcNow();
            if (wait <= TimeSpan.Zero)
                return;
            if (waiting is not null)
                await waiting($"Waiting for GitHub's rate limit: calls resume at {resumeAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
            await Task.Delay(wait, _clock, cancellation);
        }
    }

    private TimeSpan Backoff(int fault)
    {
        var exponential = _options.RetryDelay * Math.Pow(2, fault - 1);
        return exponential / 2 + exponential / 2 * Random.Shared.NextDouble();
    }

    private TimeSpan? RetryAfter(IResponse? response)
    {
        if (response?.Headers is null)
            return null;
        foreach (var (name, value) in response.Headers)
        {
            if (!name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
                continue;
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
                return TimeSpan.FromSeconds(Math.Max(0, seconds));
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return at - _clock.GetUtcNow();
        }

        return null;
    }

    private static bool IsTransport(Exception e, CancellationToken cancellation) =>
        e is HttpRequestException || (e is TaskCanceledException or TimeoutException && !cancellation.IsCancellationRequested);

    private static string Describe(TimeSpan delay) =>
        delay < TimeSpan.FromSeconds(1) ? "a moment" : delay < TimeSpan.FromMinutes(2) ? $"{Math.Ceiling(delay.TotalSeconds):0} s" : $"{Math.Ceiling(delay.TotalMinutes):0} min";

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub's rate limit is spent; calls wait until {Reset}")]
    private static partial void LogRateLimited(ILogger logger, DateTimeOffset reset);
}
