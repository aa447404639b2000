; Functions, and methods with a body in classes, traits and enums (interface and abstract
; methods have none and are skipped).
(function_definition
  name: (name) @name.definition.function
  body: (compound_statement)) @definition.function

(method_declaration
  name: (name) @name.definition.method
  body: (compound_statement)) @definition.method
