using Rewind.Core.StatusPage;

namespace Rewind.Core.Configuration;

/// <summary>Checks of the public status page: known components, public names, customer messages.</summary>
internal static partial class ConfigValidator
{
    private const int MaxPublicText = 200;

    private static void ValidateStatusPage(RewindConfig config, Action<object, string?, string> add)
    {
        var page = config.StatusPage;
        if (string.IsNullOrWhiteSpace(page.Title) || page.Title.Length > MaxPublicText)
        {
            add(page, "title", $"status-page.title: required, at most {MaxPublicText} characters");
        }

        foreach (var (name, shown) in page.Components)
        {
            var at = $"status-page.components.{name}";
            if (!config.Components.ContainsKey(name))
            {
                add(page.Components, name, $"{at}: '{name}' is not a component; expected one of: {string.Join(", ", config.Components.Keys.Order(StringComparer.Ordinal))}");
            }

            if (shown.PublicName is { } publicName && (string.IsNullOrWhiteSpace(publicName) || publicName.Length > MaxPublicText))
            {
                add(shown, "public-name", $"{at}.public-name: not empty, at most {MaxPublicText} characters; leave it out to show {name}");
            }
        }

        foreach (var (key, text) in page.Messages)
        {
            var at = $"status-page.messages.{key}";
            if (!CustomerMessages.Keys.Contains(key, StringComparer.Ordinal))
            {
                add(page.Messages, key, $"{at}: not a severity or maintenance; expected one of: {string.Join(", ", CustomerMessages.Keys)}");
            }
            else if (string.IsNullOrWhiteSpace(text))
            {
                add(page.Messages, key, $"{at}: empty; leave it out to keep the default message");
            }
            else if (text.Replace(CustomerMessages.Placeholder, "", StringComparison.Ordinal).IndexOfAny(['{', '}']) >= 0)
            {
                add(page.Messages, key, $"{at}: the only placeholder is {CustomerMessages.Placeholder}");
            }
            else if (text.Length > 1000)
            {
                add(page.Messages, key, $"{at}: at most 1000 characters");
            }
        }
    }
}
