using System.CommandLine;
using Sustain.Core.Purls;

namespace Sustain.Cli.Purls;

internal static class PurlCommands
{
    public static Command Create(TextWriter stdout)
    {
        var text = new Argument<string>("PURL") { Description = "A package URL, such as pkg:npm/%40babel/core@7.24.0." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the canonical form and the parts." };
        var parse = new Command("parse", "Validate and normalise a package URL, and show its parts.") { text, json };
        parse.SetAction(parsed =>
        {
            var input = parsed.GetRequiredValue(text);
            if (!Purl.TryParse(input, out var purl, out var error))
                throw new InvalidInputException($"invalid package URL '{input}': {error}");
            if (parsed.GetValue(json))
                WriteJson(purl, stdout);
            else
                WriteText(purl, stdout);
            return SustainCli.Success;
        });

        return new Command("purl", "Work with package URLs.") { parse };
    }

    private static void WriteJson(Purl purl, TextWriter stdout)
    {
        JsonOutput.Write(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("canonical", purl.ToString());
            writer.WriteString("type", purl.Type);
            writer.WriteString("namespace", purl.Namespace);
            writer.WriteString("name", purl.Name);
            writer.WriteString("version", purl.Version);
            if (purl.Qualifiers is null)
            {
                writer.WriteNull("qualifiers");
            }
            else
            {
                writer.WriteStartObject("qualifiers");
                foreach (var (key, value) in purl.Qualifiers)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }

            writer.WriteString("subpath", purl.Subpath);
            writer.WriteEndObject();
        });
    }

    private static void WriteText(Purl purl, TextWriter stdout)
    {
        stdout.WriteLine(purl.ToString());
        stdout.WriteLine($"  type       {purl.Type}");
        stdout.WriteLine($"  namespace  {purl.Namespace ?? "-"}");
        stdout.WriteLine($"  name       {purl.Name}");
        stdout.WriteLine($"  version    {purl.Version ?? "-"}");
        if (purl.Qualifiers is not null)
        {
            foreach (var (key, value) in purl.Qualifiers)
                stdout.WriteLine($"  qualifier  {key}={value}");
        }

        stdout.WriteLine($"  subpath    {purl.Subpath ?? "-"}");
    }
}
