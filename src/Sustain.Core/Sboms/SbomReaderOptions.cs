namespace Sustain.Core.Sboms;

/// <summary>Limits that keep a hostile or broken document from costing more than it should.</summary>
public sealed record SbomReaderOptions
{
    public static readonly SbomReaderOptions Default = new();

    /// <summary>The largest document read, in bytes (256 MiB).</summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The most components (and SPDX packages and elements) in one document.</summary>
    public int MaxComponents { get; init; } = 1_000_000;

    /// <summary>The deepest nesting of JSON or XML, and of CycloneDX nested components.</summary>
    public int MaxDepth { get; init; } = 64;
}
