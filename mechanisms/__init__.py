"""The built-in mechanisms, as .mod files compiled by pyneuro's NMODL compiler."""
