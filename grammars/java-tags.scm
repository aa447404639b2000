; Methods with a body (so abstract and plain interface methods are skipped), constructors,
; and records' compact constructors.
(method_declaration
  name: (identifier) @name.definition.method
  body: (block)) @definition.method

(constructor_declaration
  name: (identifier) @name.definition.constructor) @definition.constructor

(compact_constructor_declaration
  name: (identifier) @name.definition.constructor) @definition.constructor
