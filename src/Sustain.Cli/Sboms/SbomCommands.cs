using System.CommandLine;
using Sustain.Core.Sboms;

namespace Sustain.Cli.Sboms;

internal static class SbomCommands
{
    public static Command Create(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A CycloneDX (JSON or XML) or SPDX (JSON, tag-value, 3.0 JSON-LD) document; the format is detected from the content." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the readable summary." };
        var inspect = new Command("inspect", "Summarise an SBOM: format, counts, direct dependencies, depth and warnings.") { file, json };
        inspect.SetAction(parsed =>
        {
            var summary = SbomSummary.Of(Read(parsed.GetRequiredValue(file)));
            if (parsed.GetValue(json))
                WriteJson(summary, stdout);
            else
                WriteText(summary, stdout);
            return SustainCli.Success;
        });

        return new Command("sbom", "Work with SBOM files.") { inspect };
    }

    internal static SbomDocument Read(FileInfo file)
    {
        if (!file.Exists)
            throw new InvalidInputException($"{file.FullName}: no such file");
        try
        {
            return SbomReader.Read(file.FullName);
        }
        catch (SbomFormatException e)
        {
            throw new InvalidInputException($"{file.Name}: {e.Message}", e);
        }
        catch (SbomLimitExceededException e)
        {
            throw new InvalidInputException($"{file.Name}: {e.Message}", e);
        }
    }

    private static void WriteJson(SbomSummary summary, TextWriter stdout)
    {
        JsonOutput.Write(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("format", SbomDocument.FormatName(summary.Format));
            writer.WriteString("specVersion", summary.SpecVersion);
            writer.WriteNumber("components", summary.Components);
            writer.WriteNumber("uniquePurls", summary.UniquePurls);
            writer.WriteNumber("withoutPurl", summary.WithoutPurl);
            writer.WriteNumber("edges", summary.Edges);
            writer.WriteStrings("roots", summary.Roots);
            writer.WriteNumber("direct", summary.Direct);
            writer.WriteNumber("maxDepth", summary.MaxDepth);
            writer.WriteStrings("purls", summary.Purls);
            writer.WriteStrings("warnings", summary.Warnings);
            writer.WriteString("name", summary.Name);
            writer.WriteNumber("reachable", summary.Reachable);
            writer.WriteNumber("cycles", summary.Cycles);
            writer.WriteBoolean("graphAbsent", summary.GraphAbsent);
            writer.WriteStrings("directDependencies", summary.DirectDependencies);
            writer.WriteEndObject();
        });
    }

    private static void WriteText(SbomSummary summary, TextWriter stdout)
    {
        const int shown = 20;
        stdout.WriteLine($"{summary.Name ?? "(unnamed)"}: {SbomDocument.FormatName(summary.Format)} {summary.SpecVersion}");
        stdout.WriteLine($"  components      {summary.Components:N0} ({summary.UniquePurls:N0} distinct package URLs, {summary.WithoutPurl:N0} without one)");
        stdout.WriteLine($"  dependencies    {summary.Edges:N0} edges{(summary.GraphAbsent ? " (the document has no dependency graph)" : string.Empty)}");
        stdout.WriteLine($"  roots           {(summary.Roots.Count == 0 ? "none" : string.Join(", ", summary.Roots))}");
        stdout.WriteLine($"  direct          {summary.Direct:N0}");
        stdout.WriteLine($"  reachable       {summary.Reachable:N0}");
        stdout.WriteLine($"  maximum depth   {summary.MaxDepth}");
        stdout.WriteLine($"  cycles          {summary.Cycles:N0}");
        if (summary.DirectDependencies.Count > 0)
        {
            stdout.WriteLine();
            stdout.WriteLine("Direct dependencies:");
            foreach (var direct in summary.DirectDependencies.Take(shown))
                stdout.WriteLine($"  {direct}");
            if (summary.DirectDependencies.Count > shown)
                stdout.WriteLine($"  ... and {summary.DirectDependencies.Count - shown:N0} more (--json lists every package URL)");
        }

        if (summary.Warnings.Count > 0)
        {
            stdout.WriteLine();
            stdout.WriteLine($"Warnings ({summary.Warnings.Count:N0}):");
            foreach (var warning in summary.Warnings)
                stdout.WriteLine($"  {warning}");
        }
    }
}
