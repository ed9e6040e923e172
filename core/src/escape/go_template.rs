//! Text for Go templates: Prometheus expands every alerting rule's label and annotation values
//! as a template when the alert fires, so a name holding `{{ ... }}` would run as template code
//! (and `{{ query "..." }}` as any PromQL). Every `{{` is written as the action `{{ "{{" }}`,
//! which expands to the two braces; nothing else starts an action.

/// `s` as Go template text that expands back to `s`.
pub fn text(s: &str) -> String {
    if !s.contains("{{") {
        return s.to_owned();
    }
    s.replace("{{", "{{ \"{{\" }}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_open_pair_becomes_a_literal_action() {
        assert_eq!(text("api"), "api");
        assert_eq!(text("{{ 1 }}"), "{{ \"{{\" }} 1 }}");
        assert_eq!(text("{{{"), "{{ \"{{\" }}{");
        assert_eq!(text("}}"), "}}");
    }
}
