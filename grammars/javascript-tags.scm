; Declarations: plain, generator, and `export default function`.
(function_declaration
  name: (identifier) @name.definition.function) @definition.function

(generator_function_declaration
  name: (identifier) @name.definition.function) @definition.function

(export_statement
  "default"
  value: [(function_expression) (arrow_function) (generator_function)] @definition.function)

; Class methods (static, async, generator, getters, setters) and object-literal methods.
(method_definition
  name: (_) @name.definition.method) @definition.method

; Arrow functions and function expressions assigned to a variable ...
(variable_declarator
  name: (identifier) @name.definition.function
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; ... or wrapped in brackets: `var plain = (function (x) {...})` (react-form's Field was a module piece: probe 289)
(variable_declarator
  name: (identifier) @name.definition.function
  value: [(parenthesized_expression [(arrow_function) (function_expression) (generator_function)])]) @definition.function

; ... or one of two chosen when the module loads: `const debug = env.DEBUG ? (...a) => log(...a) : () => {}`
(variable_declarator
  name: (identifier) @name.definition.function
  value: (ternary_expression
    consequence: [(arrow_function) (function_expression)])) @definition.function

; ... or a fallback where the platform lacks one: `const raf = window.requestAnimationFrame || function (cb) {...}`
; (superagent's `exports.hasOwn = Object.hasOwn || function ...` was no unit: probe 72)
(variable_declarator
  name: (identifier) @name.definition.function
  value: (binary_expression
    right: [(arrow_function) (function_expression)])) @definition.function

(assignment_expression
  left: [(identifier) (member_expression) (subscript_expression)] @name.definition.function
  right: [(binary_expression right: [(arrow_function) (function_expression)])
          (ternary_expression consequence: [(arrow_function) (function_expression)])]) @definition.function

; ... to a property or a name ...
(assignment_expression
  left: [(identifier) (member_expression) (subscript_expression)] @name.definition.function
  right: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; ... or given as an object literal's property.
(pair
  key: [(property_identifier) (string) (computed_property_name) (number)] @name.definition.method
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.method

; Class fields holding functions: `handle = () => {}`, `#tick = () => {}` (probe 191).
(field_definition
  property: [(property_identifier) (private_property_identifier)] @name.definition.method
  value: [(arrow_function) (function_expression)]) @definition.method

; A named function a factory returns (`return function queryparse (body) {...}`: body-parser's parsers, a middleware
; factory's `return function session (req, res, next) {...}`): its name is a definition (probe 181)
(return_statement
  (function_expression name: (identifier) @name.definition.function) @definition.function)
