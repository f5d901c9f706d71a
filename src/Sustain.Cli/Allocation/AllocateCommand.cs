using System.CommandLine;
using System.Globalization;
using Sustain.Cli.Sboms;
using Sustain.Core;
using Sustain.Core.Allocation;

namespace Sustain.Cli.Allocation;

/// <summary><c>sustain allocate FILE... --budget 10000.00 --currency USD [--alpha 0.5] [--json]</c>: a suggestion from SBOM files alone.</summary>
internal static class AllocateCommand
{
    public static Command Create(TextWriter stdout)
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "One SBOM per product.", Arity = ArgumentArity.OneOrMore };
        var budget = new Option<string>("--budget") { Description = "The budget in major units, such as 10000.00 (USD) or 500000 (JPY).", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 currency code.", DefaultValueFactory = _ => "USD" };
        var alpha = new Option<double>("--alpha") { Description = "The share of reliance a package passes on to its own dependencies, 0 to 1.", DefaultValueFactory = _ => AllocationPolicy.Default.Alpha };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: currency, budgetMinor and the shares with their reasons." };
        var command = new Command("allocate", "Suggest how to split a budget across the projects the SBOMs depend on, with the reasons for every share.") { files, budget, currency, alpha, json };
        command.SetAction(parsed =>
        {
            if (!Money.TryParse(parsed.GetValue(budget), parsed.GetValue(currency), out var money, out var error))
                throw new InvalidInputException($"--budget: {error}");
            if (money.Minor <= 0)
                throw new InvalidInputException("--budget: the budget must be more than zero.");
            var a = parsed.GetValue(alpha);
            if (a is < 0 or > 1 || double.IsNaN(a))
                throw new InvalidInputException($"--alpha: {a.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1.");

            var products = new List<(string, Core.Sboms.SbomDocument)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in parsed.GetRequiredValue(files))
            {
                var name = Path.GetFileName(file.Name);
                if (!names.Add(name))
                    name = file.FullName;
                products.Add((name, SbomCommands.Read(file)));
            }

            var allocation = Allocator.Allocate(SbomAllocationInput.From(money, products), AllocationPolicy.Default with { Alpha = a });
            var shares = allocation.Shares.Where(s => s.Amount.Minor > 0).OrderByDescending(s => s.Amount.Minor).ThenBy(s => s.ProjectKey, StringComparer.Ordinal).ToList();
            if (shares.Count == 0)
                throw new InvalidInputException(allocation.UnallocatedReason ?? "the SBOMs name no dependencies to fund.");

            if (parsed.GetValue(json))
                WriteJson(allocation, shares, stdout);
            else
                WriteText(allocation, shares, stdout);
            return SustainCli.Success;
        });
        return command;
    }

    private static IEnumerable<string> Reasons(AllocationShare share)
    {
        foreach (var contribution in share.Contributions.Take(5))
            yield return $"{contribution.Product}: {contribution.Package} carries {(contribution.Reliance * 100).ToString("0.0##", CultureInfo.InvariantCulture)}% of the product's reliance";
        if (share.Contributions.Count > 5)
            yield return $"and {share.Contributions.Count - 5} more packages";
        if (share.Path.Count > 0)
            yield return $"path in {share.PathProduct}: {string.Join(" > ", share.Path)}";
        foreach (var note in share.Notes)
            yield return note;
    }

    private static void WriteJson(Core.Allocation.Allocation allocation, List<AllocationShare> shares, TextWriter stdout) =>
        JsonOutput.Write(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("currency", allocation.Budget.Currency.Code);
            writer.WriteNumber("budgetMinor", allocation.Budget.Minor);
            writer.WriteStartArray("shares");
            foreach (var share in shares)
            {
                writer.WriteStartObject();
                writer.WriteString("project", share.ProjectKey);
                writer.WriteNumber("amountMinor", share.Amount.Minor);
                writer.WriteNumber("reliance", Math.Round(share.Reliance, 6));
                writer.WriteStrings("reasons", Reasons(share));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (allocation.Unallocated.Minor != 0)
            {
                writer.WriteNumber("unallocatedMinor", allocation.Unallocated.Minor);
                writer.WriteString("unallocatedReason", allocation.UnallocatedReason);
            }

            writer.WriteEndObject();
        });

    private static void WriteText(Core.Allocation.Allocation allocation, List<AllocationShare> shares, TextWriter stdout)
    {
        stdout.WriteLine($"Suggested split of {allocation.Budget} across {shares.Count:N0} projects:");
        stdout.WriteLine();
        foreach (var share in shares)
        {
            stdout.WriteLine($"{share.Amount,18}  {share.ProjectKey}");
            foreach (var reason in Reasons(share).Take(3))
                stdout.WriteLine($"{string.Empty,18}    {reason}");
        }

        if (allocation.Unallocated.Minor != 0)
            stdout.WriteLine($"{allocation.Unallocated,18}  unallocated: {allocation.UnallocatedReason}");
    }
}
