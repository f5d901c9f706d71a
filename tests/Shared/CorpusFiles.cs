namespace Sustain.Core.Tests.Corpus;

/// <summary>
/// The shared corpus of real documents written by others, read in place from <c>../shared/corpus</c>
/// beside the repository (or <c>SUSTAIN_CORPUS</c>). Tests over it are skipped, saying why, where it is absent.
/// </summary>
public static class CorpusFiles
{
    public static readonly string? Root = Locate();

    public const string SkipReason = "The shared corpus (../shared/corpus beside the repository, or SUSTAIN_CORPUS) is absent.";

    public static bool Available => Root is not null;

    public static string PathOf(string relative) => Path.Combine(Root ?? throw new InvalidOperationException(SkipReason), relative);

    /// <summary>Files under a corpus folder, as paths relative to the corpus root, sorted; empty when the corpus is absent.</summary>
    public static IEnumerable<string> Under(string folder, params string[] extensions)
    {
        if (Root is null)
            return [];
        var directory = Path.Combine(Root, folder);
        if (!Directory.Exists(directory))
            return [];
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("SOURCES.md", StringComparison.Ordinal))
            .Where(f => extensions.Length == 0 || extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Select(f => Path.GetRelativePath(Root, f))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>
    /// xunit member data: one row per file, or a single empty row when the corpus is absent, which the
    /// test turns into a skip with <c>Skip.If(file.Length == 0, CorpusFiles.SkipReason)</c> in a <c>[SkippableTheory]</c>.
    /// </summary>
    public static TheoryData<string> Theory(string folder, params string[] extensions)
    {
        var data = new TheoryData<string>();
        foreach (var file in Under(folder, extensions))
            data.Add(file);
        if (data.Count == 0)
            data.Add(string.Empty);
        return data;
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("SUSTAIN_CORPUS");
        if (!string.IsNullOrEmpty(configured) && Directory.Exists(configured))
            return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sustain.sln")))
            {
                var corpus = Path.Combine(dir.FullName, "..", "shared", "corpus");
                return Directory.Exists(corpus) ? Path.GetFullPath(corpus) : null;
            }
        }

        return null;
    }
}
