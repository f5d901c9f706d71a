using System.ComponentModel.DataAnnotations;

namespace Sustain.Web.Projects;

/// <summary>The ecosyste.ms packages API: where it is, how hard to lean on it, how long its answers keep.</summary>
public sealed class EcosystemsOptions
{
    public const string Section = "Ecosystems";

    [Required]
    public Uri BaseAddress { get; set; } = new("https://packages.ecosyste.ms/");

    /// <summary>Requests in flight at once; ecosyste.ms asks clients to be gentle.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How long a registry's answer is trusted before it is asked again.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a 404 is trusted: shorter, since a package may be indexed soon after.</summary>
    public TimeSpan NotFoundCacheFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The first retry's delay; later ones back off exponentially. A Retry-After header wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At least one: the resilience pipeline's retry strategy refuses zero.</summary>
    [Range(1, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>A URL or e-mail address put in the User-Agent, so ecosyste.ms can reach whoever runs this instance.</summary>
    public string? Contact { get; set; }
}
