-- codesearch for Neovim: quickfix from `codesearch query --vimgrep`, "find code like this" on the
-- cursor line, and a live picker (telescope, fzf-lua or snacks.nvim when installed) whose core,
-- the debounced query function, needs nothing but Neovim. Every query runs as a job, so the editor
-- never waits for it; the first one starts a warm `codesearch serve` in the background
-- (`--auto-serve`, on by default), so the next ones are answered in milliseconds.
local M = {}

M.config = {
  cmd = { "codesearch" }, -- how to run codesearch (e.g. { "python3", "-m", "codesearch" })
  args = {}, -- extra flags for every query
  auto_serve = true, -- the first query starts a warm server for the next ones (it stops after 30 idle minutes)
  k = 30, -- results per query
  min_chars = 3, -- the live picker waits for this many characters
  debounce_ms = 200, -- and for typing to pause this long
}

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", M.config, opts or {})
end

--- The argv of one codesearch call: subcommand, then its arguments.
function M.command(sub, rest)
  local argv = vim.list_extend(vim.deepcopy(M.config.cmd), { sub, "--vimgrep", "-k", tostring(M.config.k) })
  if M.config.auto_serve then
    table.insert(argv, "--auto-serve")
  end
  vim.list_extend(argv, M.config.args)
  return vim.list_extend(argv, rest)
end

--- Quickfix items from `--vimgrep` lines (path:line:col:text).
function M.parse(lines)
  local items = {}
  for _, line in ipairs(lines) do
    local file, lnum, col, text = line:match("^(.-):(%d+):(%d+):(.*)$")
    if file then
      table.insert(items, { filename = file, lnum = tonumber(lnum), col = tonumber(col), text = text })
    end
  end
  return items
end

--- Run argv as a job (the editor goes on meanwhile); on_items(items) gets the results on the main
--- loop, or nil after an error has been shown. Returns the job id.
function M.run(argv, on_items)
  local out, err = {}, {}
  local function keep(into)
    return function(_, data)
      for _, line in ipairs(data or {}) do
        if line ~= "" then
          table.insert(into, line)
        end
      end
    end
  end
  local job = vim.fn.jobstart(argv, {
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = keep(out),
    on_stderr = keep(err),
    on_exit = function(_, code)
      vim.schedule(function()
        local items = M.parse(out)
        if code ~= 0 and #items == 0 and #err > 0 then
          vim.notify("codesearch: " .. table.concat(err, " "), vim.log.levels.ERROR)
          on_items(nil)
        else
          on_items(items)
        end
      end)
    end,
  })
  if job <= 0 then
    vim.notify("codesearch: cannot run " .. tostring(argv[1]) .. " (set `cmd` in setup())", vim.log.levels.ERROR)
    on_items(nil)
  end
  return job
end

local function fill(items, title)
  vim.fn.setqflist({}, " ", { title = title, items = items })
  if #items == 0 then
    vim.notify("codesearch: no results", vim.log.levels.WARN)
  elseif #vim.api.nvim_list_uis() > 0 then
    vim.cmd("copen")
  end
end

--- :Codesearch {query}: the ranked functions in the quickfix list, once they come (returns at once;
--- on_done(items), when given, is called after the list is filled).
function M.quickfix(query, on_done)
  return M.run(M.command("query", { "--", query }), function(items)
    if items then
      fill(items, "codesearch: " .. query)
    end
    if on_done then
      on_done(items)
    end
  end)
end

--- :CodesearchSimilar: functions like the one under the cursor, in the quickfix list once they come.
function M.similar(on_done)
  local file = vim.fn.expand("%:p")
  if file == "" then
    vim.notify("codesearch: this buffer has no file", vim.log.levels.ERROR)
    return nil
  end
  local line = vim.fn.line(".")
  local title = "codesearch: like " .. vim.fn.fnamemodify(file, ":.") .. ":" .. line
  return M.run(M.command("similar", { file .. ":" .. line }), function(items)
    if items then
      fill(items, title)
    end
    if on_done then
      on_done(items)
    end
  end)
end

--- The picker core: update(text) queries asynchronously once typing pauses, at min_chars or more;
--- on_results(items, text) gets only the answer to the latest text (older answers are dropped).
function M.live(on_results, opts)
  opts = vim.tbl_extend("force", { debounce_ms = M.config.debounce_ms, min_chars = M.config.min_chars }, opts or {})
  local timer = vim.loop.new_timer()
  local state = { generation = 0, job = nil, queries = 0 }

  local function ask(text, generation)
    if state.job then
      pcall(vim.fn.jobstop, state.job)
    end
    state.queries = state.queries + 1
    state.job = vim.fn.jobstart(M.command("query", { "--", text }), {
      stdout_buffered = true,
      on_stdout = function(_, data)
        if generation == state.generation then
          on_results(M.parse(data), text)
        end
      end,
    })
  end

  function state.update(text)
    state.generation = state.generation + 1
    local generation = state.generation
    timer:stop()
    if #vim.trim(text) < opts.min_chars then
      on_results({}, text)
      return
    end
    timer:start(opts.debounce_ms, 0, vim.schedule_wrap(function()
      if generation == state.generation then
        ask(text, generation)
      end
    end))
  end

  function state.close()
    timer:stop()
    if not timer:is_closing() then
      timer:close()
    end
    if state.job then
      pcall(vim.fn.jobstop, state.job)
    end
  end

  return state
end

-- Pickers: each installed one queries as you type through codesearch itself, with a file preview.
local function telescope_picker(opts)
  local pickers, finders = require("telescope.pickers"), require("telescope.finders")
  local conf, make_entry = require("telescope.config").values, require("telescope.make_entry")
  pickers.new(opts, {
    prompt_title = "codesearch",
    default_text = opts.default_text,
    finder = finders.new_job(function(prompt)
      if not prompt or #vim.trim(prompt) < M.config.min_chars then
        return nil
      end
      return M.command("query", { "--", prompt })
    end, make_entry.gen_from_vimgrep(opts)),
    previewer = conf.grep_previewer(opts),
    sorter = require("telescope.sorters").empty(),
    debounce = M.config.debounce_ms,
  }):find()
end

local function fzf_lua_picker(opts)
  local argv = M.command("query", { "--" })
  local cmd = table.concat(vim.tbl_map(vim.fn.shellescape, argv), " ") .. " <query>"
  require("fzf-lua").fzf_live(cmd, {
    prompt = "codesearch> ",
    query = opts.default_text,
    exec_empty_query = false,
    query_delay = M.config.debounce_ms,
    previewer = "builtin",
    actions = require("fzf-lua").defaults.actions.files,
  })
end

local function snacks_picker(opts)
  Snacks.picker.pick({
    source = "codesearch",
    search = opts.default_text,
    live = true,
    format = "file",
    finder = function(_, ctx)
      local text = ctx.filter.search
      if #vim.trim(text) < M.config.min_chars then
        return {}
      end
      local items = {}
      for _, it in ipairs(M.parse(vim.fn.systemlist(M.command("query", { "--", text })))) do
        table.insert(items, { text = it.text, file = it.filename, pos = { it.lnum, it.col - 1 } })
      end
      return items
    end,
  })
end

--- :CodesearchLive: the first installed picker; without one, ask once and use quickfix.
function M.live_picker(opts)
  opts = opts or {}
  if pcall(require, "telescope") then
    return telescope_picker(opts)
  elseif pcall(require, "fzf-lua") then
    return fzf_lua_picker(opts)
  elseif rawget(_G, "Snacks") and Snacks.picker then
    return snacks_picker(opts)
  end
  vim.ui.input({ prompt = "codesearch: ", default = opts.default_text }, function(text)
    if text and text ~= "" then
      M.quickfix(text)
    end
  end)
end

return M
