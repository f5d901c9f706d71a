using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sustain.Core.Funding;

/// <summary>
/// Reads funding.json through a DOM (manifests are small; the size is capped) and turns every
/// departure from the schema that real files make into a warning: JSONC comments, US spellings,
/// licences without <c>spdx:</c>, upper-case tags, guids with slashes.
/// </summary>
internal static partial class FundingJsonReader
{
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 32 };

    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static FundingFormatException TooLarge(long size) =>
        new(string.Empty, $"funding.json is {size:N0} bytes; at most {FundingJson.MaxBytes:N0} are read");

    public static FundingJsonResult Read(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > FundingJson.MaxBytes)
            throw TooLarge(utf8.Length);
        if (utf8.StartsWith("\uFEFF"u8))
            utf8 = utf8[3..];

        var warnings = new List<FundingWarning>();
        using var document = Load(utf8.ToArray(), warnings);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return new FundingJsonResult.NotAManifest($"the document is {Kind(root)}, not an object with version, entity and funding");

        var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var knownVersion = version is not null && V1().IsMatch(version);
        var hasEntity = root.TryGetProperty("entity", out _);
        var hasFunding = root.TryGetProperty("funding", out _);
        if (!knownVersion && !hasEntity && !hasFunding)
            return new FundingJsonResult.NotAManifest(WhyNot(root));
        if (version is not null && !knownVersion)
            warnings.Add(new("$.version", $"version '{version}' is not one Sustain knows (v1.x.x); read as v1.1.0"));

        return new FundingJsonResult.Manifest(new Manifest(warnings).Read(root, version));
    }

    private static JsonDocument Load(byte[] utf8, List<FundingWarning> warnings)
    {
        try
        {
            return JsonDocument.Parse(utf8, Strict);
        }
        catch (JsonException strict)
        {
            try
            {
                var document = JsonDocument.Parse(utf8, Lenient);
                warnings.Add(new(Where(strict), "the file has comments or trailing commas (JSONC), which JSON does not allow; read without them"));
                return document;
            }
            catch (JsonException e)
            {
                throw new FundingFormatException(Where(e), $"not valid JSON: {Describe(e)}", e);
            }
        }
    }

    private static string WhyNot(JsonElement root)
    {
        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        if (keys.Contains("opRetro"))
            return "an Optimism RetroPGF funding.json ({\"opRetro\": …}), not a FLOSS/fund manifest: it has no version v1.x.x, entity or funding";
        return keys.Count == 0
            ? "an empty object, not a FLOSS/fund manifest: it has no version v1.x.x, entity or funding"
            : $"not a FLOSS/fund manifest: it has no version v1.x.x, entity or funding (its keys are {string.Join(", ", keys.Take(8))})";
    }

    private sealed class Manifest(List<FundingWarning> warnings)
    {
        public FundingJson Read(JsonElement root, string? version)
        {
            var entity = Object(root, "entity", "$", required: true) is { } e ? Entity(e, "$.entity") : null;
            var projects = Objects(root, "projects", "$", required: false).Select(x => Project(x.Element, x.Path)).ToList();
            var funding = Object(root, "funding", "$", required: true);
            var channels = funding is { } f ? Objects(f, "channels", "$.funding", required: true).Select(x => Channel(x.Element, x.Path)).ToList() : [];
            var plans = funding is { } g ? Objects(g, "plans", "$.funding", required: true).Select(x => Plan(x.Element, x.Path)).ToList() : [];
            var history = funding is { } h ? Objects(h, "history", "$.funding", required: false).Select(x => HistoryYear(x.Element, x.Path)).ToList() : [];

            Unique(projects.Select(p => p.Guid), "$.projects", "project");
            Unique(channels.Select(c => c.Guid), "$.funding.channels", "channel");
            Unique(plans.Select(p => p.Guid), "$.funding.plans", "plan");
            var known = channels.Select(c => c.Guid).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < plans.Count; i++)
            {
                foreach (var missing in plans[i].Channels.Where(c => !known.Contains(c)))
                    Warn($"$.funding.plans[{i}].channels", $"plan '{plans[i].Guid}' names channel '{missing}', which funding.channels does not define");
            }

            return new FundingJson
            {
                Version = version,
                Schema = String(root, "$schema", "$", required: false),
                Entity = entity,
                Projects = projects,
                Channels = channels,
                Plans = plans,
                History = history,
                FundingDescription = funding is { } d ? String(d, "description", "$.funding", required: false) : null,
                Warnings = warnings,
            };
        }

        private FundingEntity Entity(JsonElement e, string path) => new(
            Choice(e, "type", path, EntityTypes, EntityType.Other),
            Choice(e, "role", path, EntityRoles, EntityRole.Other),
            String(e, "name", path, required: true) ?? "",
            String(e, "email", path, required: true) ?? "",
            NonEmpty(String(e, "phone", path, required: false)),
            String(e, "description", path, required: true) ?? "",
            Url(e, "webpageUrl", path));

        private FundingProject Project(JsonElement p, string path)
        {
            var guid = Guid(p, path);
            var licenses = Strings(p, "licenses", path, max: 5);
            for (var i = 0; i < licenses.Count; i++)
            {
                if (!licenses[i].StartsWith("spdx:", StringComparison.Ordinal))
                    Warn($"{path}.licenses[{i}]", $"licence '{licenses[i]}' has no 'spdx:' prefix; kept as written");
            }

            var tags = Strings(p, "tags", path, max: 10);
            for (var i = 0; i < tags.Count; i++)
            {
                var lower = tags[i].ToLowerInvariant();
                if (lower != tags[i])
                    Warn($"{path}.tags[{i}]", $"tag '{tags[i]}' is not lower case; read as '{lower}'");
                else if (!GuidPattern().IsMatch(lower))
                    Warn($"{path}.tags[{i}]", $"tag '{tags[i]}' is not lower-case letters, digits and dashes");
                tags[i] = lower;
            }

            return new FundingProject(
                guid,
                String(p, "name", path, required: true) ?? "",
                String(p, "description", path, required: true) ?? "",
                Url(p, "webpageUrl", path),
                Url(p, "repositoryUrl", path),
                licenses,
                tags);
        }

        private PaymentChannel Channel(JsonElement c, string path) => new(
            Guid(c, path),
            Choice(c, "type", path, ChannelTypes, PaymentChannelType.Other),
            NonEmpty(String(c, "address", path, required: false)),
            NonEmpty(String(c, "description", path, required: false)));

        private FundingPlan Plan(JsonElement p, string path)
        {
            var currency = Currency(p, path);
            var amount = Amount(p, "amount", path, currency, required: true, out var any);
            return new FundingPlan(
                Guid(p, path),
                Choice(p, "status", path, Statuses, PlanStatus.Active),
                String(p, "name", path, required: true) ?? "",
                NonEmpty(String(p, "description", path, required: false)),
                amount,
                any,
                currency.Code,
                Choice(p, "frequency", path, Frequencies, PlanFrequency.Other),
                Strings(p, "channels", path, max: int.MaxValue));
        }

        private FundingHistoryYear HistoryYear(JsonElement h, string path)
        {
            var year = 0;
            if (!h.TryGetProperty("year", out var y) || y.ValueKind != JsonValueKind.Number || !y.TryGetInt32(out year))
                Warn($"{path}.year", "a history entry needs a whole-number year");
            var currency = Currency(h, path);
            return new FundingHistoryYear(
                year,
                Amount(h, "income", path, currency, required: false, out _),
                Amount(h, "expenses", path, currency, required: false, out _),
                Amount(h, "taxes", path, currency, required: false, out _),
                currency.Code,
                NonEmpty(String(h, "description", path, required: false)));
        }

        private (string Code, Currency? Known) Currency(JsonElement owner, string path)
        {
            var code = String(owner, "currency", path, required: true) ?? "";
            if (Sustain.Core.Currency.TryFind(code, out var known))
                return (code, known);
            if (Sustain.Core.Currency.TryFind(code.Trim().ToUpperInvariant(), out known))
            {
                Warn($"{path}.currency", $"currency '{code}' is read as {known.Code}; ISO 4217 codes are three upper-case letters");
                return (known.Code, known);
            }

            Warn($"{path}.currency", code.Length == 0
                ? "no currency is given; amounts are kept unread"
                : $"'{code}' is not an ISO 4217 currency Sustain knows; amounts are kept unread");
            return (code, null);
        }

        // The manifest writes major units as a JSON number; its text is read digit by digit, never through a double, so 19.99 stays 1999 cents.
        private Money? Amount(JsonElement owner, string name, string path, (string Code, Currency? Known) currency, bool required, out bool zero)
        {
            zero = false;
            var at = $"{path}.{name}";
            if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                    Warn(at, $"{name} is missing");
                return null;
            }

            string text;
            if (value.ValueKind == JsonValueKind.Number)
            {
                text = value.GetRawText();
            }
            else if (value.ValueKind == JsonValueKind.String)
            {
                text = value.GetString()!.Trim();
                Warn(at, $"{name} is the string \"{text}\"; the schema wants a number");
            }
            else
            {
                Warn(at, $"{name} is {Kind(value)}, not a number");
                return null;
            }

            if (Plain(text) is not { } plain)
            {
                Warn(at, $"{name} {text} is not a number Sustain can read exactly");
                return null;
            }

            zero = plain == "0";
            if (currency.Known is not { } known)
                return null;
            if (!Money.TryParse(plain, known, out var money, out var error))
            {
                Warn(at, $"{name} {text}: {error}");
                return null;
            }

            return money;
        }

        private string Guid(JsonElement owner, string path)
        {
            var guid = String(owner, "guid", path, required: true) ?? "";
            if (guid.Length > 0 && (!GuidPattern().IsMatch(guid) || guid.Length > 32))
                Warn($"{path}.guid", $"guid '{guid}' is not up to 32 lower-case letters, digits and dashes; kept as written");
            return guid;
        }

        private T Choice<T>(JsonElement owner, string name, string path, Dictionary<string, T> choices, T fallback)
            where T : struct, Enum
        {
            var text = String(owner, name, path, required: true);
            if (text is null)
                return fallback;
            if (choices.TryGetValue(text, out var exact))
                return exact;
            var folded = text.Trim().ToLowerInvariant();
            if (choices.TryGetValue(folded, out var loose) || Aliases.TryGetValue(folded, out var alias) && choices.TryGetValue(alias, out loose))
            {
                Warn($"{path}.{name}", $"{name} '{text}' is read as '{choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, loose)).Key}', as the schema spells it");
                return loose;
            }

            Warn($"{path}.{name}", $"{name} '{text}' is not one of {string.Join(", ", choices.Keys)}; read as '{choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, fallback)).Key}'");
            return fallback;
        }

        private ManifestUrl? Url(JsonElement owner, string name, string path)
        {
            var at = $"{path}.{name}";
            if (Object(owner, name, path, required: true) is not { } u)
                return null;
            var url = String(u, "url", at, required: true) ?? "";
            if (url.Length > 0 && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                Warn($"{at}.url", $"'{url}' does not start with https:// or http://");
            return new ManifestUrl(url, NonEmpty(String(u, "wellKnown", at, required: false)));
        }

        private List<string> Strings(JsonElement owner, string name, string path, int max)
        {
            var items = Items(owner, name, path, required: true);
            if (items.Count > max)
                Warn($"{path}.{name}", $"{name} has {items.Count} items; the schema allows {max}; all are read");
            var strings = new List<string>(items.Count);
            foreach (var (element, at) in items)
            {
                if (element.ValueKind == JsonValueKind.String)
                    strings.Add(element.GetString()!);
                else
                    Warn(at, $"an item that is {Kind(element)} is ignored; items are strings");
            }

            return strings;
        }

        private List<(JsonElement Element, string Path)> Objects(JsonElement owner, string name, string path, bool required)
        {
            var items = Items(owner, name, path, required);
            foreach (var (element, at) in items.Where(x => x.Element.ValueKind != JsonValueKind.Object))
                Warn(at, $"an item that is {Kind(element)} is ignored; items of {name} are objects");
            return [.. items.Where(x => x.Element.ValueKind == JsonValueKind.Object)];
        }

        private List<(JsonElement Element, string Path)> Items(JsonElement owner, string name, string path, bool required)
        {
            if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                    Warn($"{path}.{name}", $"{name} is missing");
                return [];
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                Warn($"{path}.{name}", $"{name} is {Kind(value)}, not a list; ignored");
                return [];
            }

            return [.. value.EnumerateArray().Select((element, i) => (element, $"{path}.{name}[{i}]"))];
        }

        private JsonElement? Object(JsonElement owner, string name, string path, bool required)
        {
            if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                    Warn($"{path}.{name}", $"{name} is missing");
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                Warn($"{path}.{name}", $"{name} is {Kind(value)}, not an object; ignored");
                return null;
            }

            return value;
        }

        private string? String(JsonElement owner, string name, string path, bool required)
        {
            if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                    Warn($"{path}.{name}", $"{name} is missing");
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
                return value.GetString();
            Warn($"{path}.{name}", $"{name} is {Kind(value)}, not a string; ignored");
            return null;
        }

        private void Unique(IEnumerable<string> guids, string path, string what)
        {
            foreach (var twice in guids.Where(g => g.Length > 0).GroupBy(g => g, StringComparer.Ordinal).Where(g => g.Count() > 1))
                Warn(path, $"{what} guid '{twice.Key}' is used {twice.Count()} times");
        }

        private void Warn(string path, string message) => warnings.Add(new FundingWarning(path, message));
    }

    /// <summary>
    /// A JSON number's text as a plain decimal ("1.5e3" → "1500", "250.00" → "250", "-0.50" → "-0.5", "-0" → "0"),
    /// shifting the point by the exponent so no digit is rounded; null when it is not a JSON number or
    /// its exponent is beyond any amount.
    /// </summary>
    internal static string? Plain(string number)
    {
        var match = JsonNumber().Match(number);
        if (!match.Success)
            return null;
        var exponent = 0;
        if (match.Groups["exp"].Success && (!int.TryParse(match.Groups["exp"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 64))
            return null;
        var whole = match.Groups["int"].Value;
        var digits = whole + match.Groups["frac"].Value;
        var point = whole.Length + exponent;
        string shifted;
        if (point <= 0)
            shifted = "0." + new string('0', -point) + digits;
        else if (point >= digits.Length)
            shifted = digits + new string('0', point - digits.Length);
        else
            shifted = digits[..point] + "." + digits[point..];

        var dot = shifted.IndexOf('.', StringComparison.Ordinal);
        var integral = (dot < 0 ? shifted : shifted[..dot]).TrimStart('0');
        var fraction = dot < 0 ? "" : shifted[(dot + 1)..].TrimEnd('0');
        var plain = (integral.Length == 0 ? "0" : integral) + (fraction.Length == 0 ? "" : "." + fraction);
        return plain == "0" ? plain : match.Groups["sign"].Value + plain;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Where(JsonException e) =>
        e.LineNumber is { } line ? FundingFormatException.At(line + 1, (e.BytePositionInLine ?? 0) + 1) : string.Empty;

    // System.Text.Json appends " Path: $ | LineNumber: 0 | BytePositionInLine: 4."; the location is given separately.
    private static string Describe(JsonException e)
    {
        var cut = e.Message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
            cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? e.Message : e.Message[..cut];
    }

    private static readonly Dictionary<string, EntityType> EntityTypes = new(StringComparer.Ordinal)
    {
        ["individual"] = EntityType.Individual, ["group"] = EntityType.Group, ["organisation"] = EntityType.Organisation, ["other"] = EntityType.Other,
    };

    private static readonly Dictionary<string, EntityRole> EntityRoles = new(StringComparer.Ordinal)
    {
        ["owner"] = EntityRole.Owner, ["steward"] = EntityRole.Steward, ["maintainer"] = EntityRole.Maintainer, ["contributor"] = EntityRole.Contributor, ["other"] = EntityRole.Other,
    };

    private static readonly Dictionary<string, PaymentChannelType> ChannelTypes = new(StringComparer.Ordinal)
    {
        ["bank"] = PaymentChannelType.Bank, ["payment-provider"] = PaymentChannelType.PaymentProvider, ["cheque"] = PaymentChannelType.Cheque, ["cash"] = PaymentChannelType.Cash, ["other"] = PaymentChannelType.Other,
    };

    private static readonly Dictionary<string, PlanStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["active"] = PlanStatus.Active, ["inactive"] = PlanStatus.Inactive,
    };

    private static readonly Dictionary<string, PlanFrequency> Frequencies = new(StringComparer.Ordinal)
    {
        ["one-time"] = PlanFrequency.OneTime, ["weekly"] = PlanFrequency.Weekly, ["fortnightly"] = PlanFrequency.Fortnightly, ["monthly"] = PlanFrequency.Monthly, ["yearly"] = PlanFrequency.Yearly, ["other"] = PlanFrequency.Other,
    };

    // US spellings and near-misses seen in manifests, mapped to the schema's words.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["organization"] = "organisation", ["check"] = "cheque", ["annually"] = "yearly", ["annual"] = "yearly", ["one-off"] = "one-time", ["onetime"] = "one-time",
    };

    [GeneratedRegex(@"^v1\.[0-9]+\.[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex V1();

    [GeneratedRegex(@"^(?<sign>-?)(?<int>0|[1-9][0-9]*)(\.(?<frac>[0-9]+))?([eE](?<exp>[+-]?[0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex GuidPattern();
}
